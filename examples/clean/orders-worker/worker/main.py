import os

import boto3

from worker.db import connect


def run():
    queue_url = os.environ["QUEUE_URL"]
    sqs = boto3.client("sqs")
    with connect() as conn:
        while True:
            for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20).get("Messages", []):
                with conn.cursor() as cur:
                    cur.execute("INSERT INTO processed (id) VALUES (%s) ON CONFLICT DO NOTHING", (message["MessageId"],))
                conn.commit()
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    run()
