/**
 * A minimal, labelled-as-minimal OpenAPI v3 publication for the fake API server: the index at
 * /openapi/v3 and one document per group version it serves (apps/v1 Deployment, v1 ConfigMap),
 * holding only the create, read and patch operations kubectl looks at.
 *
 * Why kubectl needs it: `kubectl apply` (client- or server-side) with its default
 * `--validate=strict` looks up the PATCH operation of the object's kind in OpenAPI v3 to see
 * whether the server supports the `fieldValidation` query parameter; if it does, validation is
 * left to the server (`?fieldValidation=Strict`), otherwise kubectl downloads the v2 schema
 * (protobuf) and validates itself. Every server since 1.27 publishes v3, so this is the path a
 * real cluster takes. The document carries no component schemas: kubectl then computes the
 * strategic merge patch from its built-in Go types, which is what the schemas would tell it
 * for built-in kinds such as these.
 */
const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
const writeParams = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
const object = { schema: { type: 'object' } };

export const OPENAPI_V3_HASH = 'fake0000000000000000000000000000';

interface Served {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}
/** Keyed by the path the index publishes (and the document is served under /openapi/v3/). */
const SERVED: Readonly<Record<string, Served>> = {
  'apis/apps/v1': { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' },
  'api/v1': { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
};

export function openApiV3Index(): unknown {
  const paths = Object.fromEntries(Object.keys(SERVED).map((gv) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${OPENAPI_V3_HASH}` }]));
  return { paths };
}

/** The document for `/openapi/v3/<gv>`, or undefined when the fake does not serve that group version. */
export function openApiV3Document(gv: string): unknown {
  const served = SERVED[gv];
  if (!served) return undefined;
  const { group, version, kind, plural } = served;
  const gvk = { group, version, kind };
  const collection = `/${gv}/namespaces/{namespace}/${plural}`;
  const response = { '200': { description: 'OK', content: { 'application/json': object } } };
  return {
    openapi: '3.0.0',
    info: { title: `Kubernetes (fake: ${kind} operations only)`, version: 'v1.32.0-fake' },
    paths: {
      [collection]: {
        post: {
          operationId: `create${kind}`,
          parameters: writeParams,
          requestBody: { content: { '*/*': object }, required: true },
          responses: { ...response, '201': response['200'] },
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': gvk,
        },
      },
      [`${collection}/{name}`]: {
        get: { operationId: `read${kind}`, responses: response, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
        patch: {
          operationId: `patch${kind}`,
          parameters: [...writeParams, query('force')],
          requestBody: {
            content: {
              'application/apply-patch+yaml': object,
              'application/json-patch+json': object,
              'application/merge-patch+json': object,
              'application/strategic-merge-patch+json': object,
            },
            required: true,
          },
          responses: { ...response, '201': response['200'] },
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': gvk,
        },
      },
    },
    components: { schemas: {} },
  };
}
