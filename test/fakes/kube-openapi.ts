/**
 * A minimal, labelled-as-minimal OpenAPI v3 publication for the fake API server: the index at
 * /openapi/v3 and the apps/v1 document, holding only the Deployment operations kubectl looks at.
 *
 * Why kubectl needs it: `kubectl apply` (client- or server-side) with its default
 * `--validate=strict` looks up the PATCH operation of the object's kind in OpenAPI v3 to see
 * whether the server supports the `fieldValidation` query parameter; if it does, validation is
 * left to the server (`?fieldValidation=Strict`), otherwise kubectl downloads the v2 schema
 * (protobuf) and validates itself. Every server since 1.27 publishes v3, so this is the path a
 * real cluster takes. The document carries no component schemas: kubectl then computes the
 * strategic merge patch from its built-in Go types, which is what the schemas would tell it
 * for a built-in kind such as apps/v1 Deployment.
 */
const GVK = { group: 'apps', version: 'v1', kind: 'Deployment' };
const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
const writeParams = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
const object = { schema: { type: 'object' } };

export const OPENAPI_V3_HASH = 'fake0000000000000000000000000000';

export function openApiV3Index(): unknown {
  return { paths: { 'apis/apps/v1': { serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${OPENAPI_V3_HASH}` } } };
}

export function openApiV3AppsV1(): unknown {
  const response = { '200': { description: 'OK', content: { 'application/json': object } } };
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (fake: apps/v1 Deployment operations only)', version: 'v1.32.0-fake' },
    paths: {
      '/apis/apps/v1/namespaces/{namespace}/deployments': {
        post: {
          operationId: 'createAppsV1NamespacedDeployment',
          parameters: writeParams,
          requestBody: { content: { '*/*': object }, required: true },
          responses: { ...response, '201': response['200'] },
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': GVK,
        },
      },
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}': {
        get: {
          operationId: 'readAppsV1NamespacedDeployment',
          responses: response,
          'x-kubernetes-action': 'get',
          'x-kubernetes-group-version-kind': GVK,
        },
        patch: {
          operationId: 'patchAppsV1NamespacedDeployment',
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
          'x-kubernetes-group-version-kind': GVK,
        },
      },
    },
    components: { schemas: {} },
  };
}
