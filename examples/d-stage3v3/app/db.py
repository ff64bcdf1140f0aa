import json
import os

import boto3
import psycopg2

DATABASE_URL_SECRET = os.environ["DATABASE_URL_SECRET"]


def connect():
    # D6: ECS already injected the secret's JSON value into DATABASE_URL_SECRET;
    # passing that JSON as SecretId fails with ValidationException / ResourceNotFoundException.
    client = boto3.client("secretsmanager")
    response = client.get_secret_value(SecretId=DATABASE_URL_SECRET)
    secret = json.loads(response["SecretString"])
    # D5: an RDS-managed secret (rds!db-...) holds only username and password.
    return psycopg2.connect(
        host=secret["host"],
        database=secret["dbname"],
        user=secret["username"],
        password=secret["password"],
    )
