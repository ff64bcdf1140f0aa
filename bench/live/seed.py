"""Seeds a moto_server with N IAM roles, M secrets and K ECS services (with their task definitions) through boto3,
so that `groundcrew inventory` can be timed on an account of that size. Usage: seed.py ENDPOINT ROLES SECRETS SERVICES"""
import json, sys
import boto3

endpoint, roles, secrets, services = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
iam, sm, ecs = boto3.client("iam", **kw), boto3.client("secretsmanager", **kw), boto3.client("ecs", **kw)
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
for i in range(roles):
    iam.create_role(RoleName=f"role-{i:03}", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName=f"role-{i:03}", PolicyName="read", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": f"arn:aws:secretsmanager:us-east-1:123456789012:secret:app-{i:03}/*"}]}))
for i in range(secrets):
    sm.create_secret(Name=f"app-{i % 200:03}/secret-{i:03}", SecretString=json.dumps({"password": "x"}))
ecs.create_cluster(clusterName="bench")
for i in range(services):
    ecs.register_task_definition(family=f"svc-{i:02}", executionRoleArn=f"arn:aws:iam::123456789012:role/role-{i:03}",
        containerDefinitions=[{"name": "app", "image": "nginx:1.27", "memory": 256}])
    ecs.create_service(cluster="bench", serviceName=f"svc-{i:02}", taskDefinition=f"svc-{i:02}", desiredCount=1)
print(f"seeded {roles} roles, {secrets} secrets, {services} services")
