// The ExternalSecret already fetched the secret: parse the value.
export function dbCredentials() {
  return JSON.parse(process.env.DB_SECRET ?? "{}");
}
