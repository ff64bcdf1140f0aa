import json
import os

import boto3

DATABASE_SECRET = os.getenv("DATABASE_SECRET", "")
client = boto3.client("secretsmanager")


def database_credentials():
    # ECS already put the secret's JSON into DATABASE_SECRET.
    response = client.get_secret_value(SecretId=DATABASE_SECRET)
    return json.loads(response["SecretString"])


def api_token():
    return client.get_secret_value(
        SecretId=os.environ["API_TOKEN"],
    )["SecretString"]
