/**
 * The client options every AWS provider builds the same way from its settings: region and
 * profile (else the SDK's standard chain), and an endpoint override (moto, LocalStack, or
 * `AWS_ENDPOINT_URL`, which the SDK also reads by itself).
 */
export function awsClientConfig(s: { readonly region?: string | undefined; readonly profile?: string | undefined; readonly endpoint_url?: string | undefined }): {
  region?: string;
  profile?: string;
  endpoint?: string;
} {
  return {
    ...(s.region ? { region: s.region } : {}),
    ...(s.profile ? { profile: s.profile } : {}),
    ...(s.endpoint_url ? { endpoint: s.endpoint_url } : {}),
  };
}
