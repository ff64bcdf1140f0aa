import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const client = new SecretsManagerClient({});
const secretId = process.env.DB_SECRET;

export async function dbCredentials() {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return JSON.parse(out.SecretString!);
}
