import json
import os

import psycopg2

# ECS injects the RDS-managed master user secret's JSON into DB_CREDENTIALS: it holds username and password only.
# The endpoint and the database name come from plain environment variables.
_credentials = json.loads(os.environ["DB_CREDENTIALS"])


def connect():
    return psycopg2.connect(
        host=os.environ["DB_HOST"],
        dbname=os.environ["DB_NAME"],
        port=int(os.environ.get("DB_PORT", "5432")),
        user=_credentials["username"],
        password=_credentials["password"],
    )
