import json
import os

import boto3
import psycopg2

creds = json.loads(os.environ["DB_CREDENTIALS"])
# A valueFrom with a JSON key injects one value, not JSON: a different mistake, not judged by this rule.
password_only = json.loads(os.environ["DB_PASSWORD"])


def connect():
    return psycopg2.connect(
        host=os.environ["DB_HOST"],
        dbname=os.environ.get("DB_NAME", "billing"),
        port=creds.get("port", 5432),
        user=creds["username"],
        password=creds["password"],
    )


def settings():
    # A secret whose keys are not known: nothing is said.
    other = json.loads(os.environ["APP_SETTINGS"])
    return other["host"], password_only["host"]


def connect_reporting():
    client = boto3.client("secretsmanager")
    response = client.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])
    secret = json.loads(response["SecretString"])
    return psycopg2.connect(host=os.environ["DB_HOST"], user=secret["username"], password=secret["password"])
