import json
import os

import boto3
import psycopg2

creds = json.loads(os.environ["DB_CREDENTIALS"])


def connect():
    return psycopg2.connect(
        host=creds["host"],
        dbname=creds.get("dbname"),
        port=creds.get("port", 5432),
        user=creds["username"],
        password=creds["password"],
    )


def reporting_credentials():
    client = boto3.client("secretsmanager")
    response = client.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])
    return json.loads(response["SecretString"])


def connect_reporting():
    secret = reporting_credentials()
    return psycopg2.connect(host=secret["host"], user=secret["username"], password=secret["password"])
