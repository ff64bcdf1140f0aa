"""Real error wordings for `groundcrew diagnose`, one entry per text, grouped by family.

expect: the signature that must rank first, or "!id" for a look-alike that must not match that signature (None: nothing
specific should match). source: where the wording was found ("known wording" when it is a tool's fixed text quoted from
memory of its source and no public page was found in the search corpus; such texts are not added to the base as sourced
examples).
"""

C = []


def add(family, expect, text, source):
    C.append({"family": family, "expect": expect, "text": text, "source": source})


# --- ECS / kubelet image pull: network -------------------------------------------------------------------------------
F = "pull-network"
add(F, "image-pull-network-timeout",
    r'CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
    "https://github.com/aws/amazon-ecs-agent/issues/1128")
add(F, "image-pull-network-timeout",
    r'CannotPullContainerError: Error response from daemon: Get https://registry-1.docker.io/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
    "https://github.com/aws/amazon-ecs-agent/issues/2061")
add(F, "image-pull-network-timeout",
    r'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref quay.io/deepfenceio/cloud-scanner:latest: failed to do request: Head "https://quay.io/v2/deepfenceio/cloud-scanner/manifests/latest": dial tcp 3.210.148.47:443: i/o timeout',
    "https://github.com/deepfence/terraform-aws-cloud-scanner/issues/13")
add(F, "image-pull-network-timeout",
    r'  Warning  Failed     10m                kubelet, ip-10-0-154-77.ec2.internal  Failed to pull image "111111111.dkr.ecr.us-east-1.amazonaws.com/my/container:e87716617021afc0307a7537d74d3927f6cb9526": rpc error: code = Unknown desc = error pulling image configuration: Get https://prod-us-east-1-starport-layer-bucket.s3.amazonaws.com/abc: dial tcp: i/o timeout',
    "https://github.com/aws-quickstart/quickstart-amazon-eks/pull/52")
add(F, "image-pull-network-timeout",
    r'Error response from daemon: Get "https://public.ecr.aws/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
    "https://github.com/aws/aws-sam-build-images/issues/42")
add(F, "image-pull-network-timeout",
    r'Error response from daemon: Get "https://public.ecr.aws/v2/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    "https://github.com/aws/aws-sam-build-images/issues/42")
add(F, "image-pull-network-timeout",
    r'time="2024-09-13T10:48:04.953565547+08:00" level=error msg="PullImage \"docker.io/redis:latest\" failed" error="rpc error: code = DeadlineExceeded desc = failed to pull and unpack image \"docker.io/library/redis:latest\": failed to resolve reference \"docker.io/library/redis:latest\": failed to authorize: failed to fetch anonymous token: Get \"https://auth.docker.io/token?scope=repository%3Alibrary%2Fredis%3Apull&service=registry.docker.io\": dial tcp 108.160.165.48:443: i/o timeout"',
    "https://github.com/ciiiii/cloudflare-docker-proxy/issues/62")
add(F, "image-pull-network-timeout",
    r'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 5 time(s): RequestError: send request failed caused by: Post https://api.ecr.us-east-1.amazonaws.com/: dial tcp 52.94.0.10:443: i/o timeout',
    "https://github.com/aws/aws-app-mesh-examples/issues/413")
add(F, "image-pull-network-timeout",
    r'Failed to pull image "nginx:1.25": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: net/http: TLS handshake timeout',
    "known wording (Go net/http)")
add(F, "!image-pull-network-timeout",
    r'Error: connect ETIMEDOUT 10.0.3.4:5432',
    "look-alike: database timeout")
add(F, "!image-pull-network-timeout",
    r'psycopg2.OperationalError: connection to server at "db.internal" (10.0.3.4), port 5432 failed: Connection timed out',
    "look-alike: database timeout")
add(F, "!image-pull-network-timeout",
    r'Get "https://api.example.com/v1/orders": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
    "look-alike: app HTTP client timeout")

# --- ResourceInitializationError shapes -------------------------------------------------------------------------------
F = "ecs-resource-init"
add(F, "ecs-secrets-network-timeout",
    r'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:111122223333:secret:DBPasswordSecret-AbCdEf from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.',
    "https://github.com/Releem/releem-agent/issues/195")
add(F, "execution-role-cannot-read-ssm-parameter",
    r'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: ....',
    "https://github.com/aws/copilot-cli/issues/3104")
add(F, "ecs-resource-initialization-error",
    r'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time...',
    "https://github.com/aws/copilot-cli/issues/2095")
add(F, "ecs-resource-initialization-error",
    r'TaskFailedToStart: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789...',
    "https://github.com/docker-archive/compose-cli/issues/1510")
add(F, "ecs-secret-not-found",
    r"ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: 5f1c, ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    "known wording (ECS agent, SDK v2)")
add(F, "execution-role-cannot-read-secret",
    r'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/9f1 is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action',
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html")
add(F, "image-pull-network-timeout",
    r'ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. operation error ECR: GetAuthorizationToken, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 10.0.0.10:443: i/o timeout',
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html")
add(F, "ecs-secrets-network-timeout",
    r'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: There is a connection issue between the task and AWS Secrets Manager. Check your task network configuration. failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf from secrets manager: operation error Secrets Manager: GetSecretValue, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded',
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html")
add(F, "ecs-log-group-missing",
    r'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html")
add(F, "ecs-log-group-missing",
    r'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: operation error CloudWatch Logs: CreateLogStream, https response error StatusCode: 400, RequestID: 0a1b, ResourceNotFoundException: The specified log group does not exist. : exit status 1',
    "known wording (ECS agent, SDK v2)")
add(F, "!ecs-log-group-missing",
    r"botocore.errorfactory.ResourceNotFoundException: An error occurred (ResourceNotFoundException) when calling the PutLogEvents operation: The specified log group does not exist.",
    "https://github.com/osperlabs/logbeam/issues/7")

# --- image reference / tag ----------------------------------------------------------------------------------------------
F = "pull-not-found"
add(F, "image-tag-not-found",
    r'Failed to pull image "nginx:1.255": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.255": failed to resolve reference "docker.io/library/nginx:1.255": docker.io/library/nginx:1.255: not found',
    "known wording (containerd CRI)")
add(F, "image-tag-not-found",
    r'Failed to pull image "nginx:1.255": rpc error: code = Unknown desc = Error response from daemon: manifest for nginx:1.255 not found: manifest unknown: manifest unknown',
    "known wording (dockershim)")
add(F, "image-tag-not-found",
    r'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest: 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest: not found',
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html")
add(F, "image-tag-not-found",
    r"Error response from daemon: repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/foo not found: name unknown: The repository with name 'foo' does not exist in the registry with id '111122223333'",
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors-docker.html")
add(F, "ecr-pull-forbidden",
    r'CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "xxxxx.xxx": unexpected status code [manifests 6981141]: 403 Forbidden',
    "https://github.com/aws/aws-cdk/issues/14457")
add(F, "ecr-pull-forbidden",
    r'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1: pulling from host 111122223333.dkr.ecr.us-east-1.amazonaws.com failed with status code [manifests 1]: 403 Forbidden',
    "known wording (containerd 1.7 resolver)")

# --- platform -------------------------------------------------------------------------------------------------------------
F = "platform"
add(F, "no-matching-manifest-for-platform",
    r'Failed to pull image "ghcr.io/kubewarden/kubewarden-controller:latest": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/kubewarden/kubewarden-controller:latest": no match for platform in manifest: not found',
    "https://github.com/kubewarden/adm-controller/issues/1378")
add(F, "no-matching-manifest-for-platform",
    r'Error response from daemon: no matching manifest for linux/arm64/v8 in the manifest list entries: no match for platform in manifest: not found',
    "https://github.com/moby/moby/issues/46765")
add(F, "no-matching-manifest-for-platform",
    r'no match for current platform linux/arm/v7 in manifest sha256:32efb15cbb8a46f4b564857e534fd4c26a4a15813885f91b1a95b5758fea3fd5: not found',
    "https://github.com/containerd/containerd/pull/2410")
add(F, "no-matching-manifest-for-platform",
    r'failed to solve with frontend dockerfile.v0: failed to create LLB definition: no match for platform in manifest sha256:4691cba88ac487820a395e741810ec7f0fac46e64ce8f7bae21cbc4527ed8362: not found',
    "https://github.com/docker-library/official-images/issues/11021")
add(F, "no-matching-manifest-for-platform",
    r'Error: ErrImagePull' + "\n" + r'Failed to pull image "ghcr.io/codefactoryhu/manifest:0.1.5": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/codefactoryhu/manifest:0.1.5": no match for platform in manifest: not found',
    "https://github.com/codefactoryhu/manifest/issues/11")

# --- rate limit / auth -----------------------------------------------------------------------------------------------------
F = "pull-auth-rate"
add(F, "docker-hub-rate-limit",
    r'  Warning  Failed     50s (x4 over 2m24s)  kubelet            Failed to pull image "index.docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/jaegertracing/all-in-one/manifests/sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    "https://github.com/namespacelabs/foundation/issues/846")
add(F, "docker-hub-rate-limit",
    r'E0725 17:44:02.225456    1883 kuberuntime_image.go:55] "Failed to pull image" err="failed to pull and unpack image \"registry.k8s.io/sig-storage/csi-resizer:v1.2.0\": failed to resolve reference \"registry.k8s.io/sig-storage/csi-resizer:v1.2.0\": unexpected status from HEAD request to https://registry.k8s.io/v2/sig-storage/csi-resizer/manifests/v1.2.0: 429 Too Many Requests" image="registry.k8s.io/sig-storage/csi-resizer:v1.2.0"',
    "https://github.com/kubernetes/kubernetes/issues/126366")
add(F, "registry-unauthorized",
    r'Failed to pull image "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to pull and unpack image "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to resolve reference "ghcr.io/open-edge-platform/geti/notifier:2.13.1": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aopen-edge-platform%2Fgeti%2Fnotifier%3Apull&service=ghcr.io: 401 Unauthorized',
    "https://github.com/open-edge-platform/geti_v2/issues/1668")
add(F, "registry-unauthorized",
    r'"proxy.replicated.com/proxy/gitpod/busybox:1": failed to resolve reference "proxy.replicated.com/proxy/gitpod/busybox:1": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
    "https://github.com/gitpod-io/gitpod/issues/14837")
add(F, "registry-unauthorized",
    r'Failed to pull image "image-registry.openshift-image-registry.svc:5000/example-webapp": rpc error: code = Unknown desc = unable to retrieve auth token: invalid username/password',
    "https://github.com/tektoncd/pipeline/issues/1106")
add(F, "registry-unauthorized",
    r'(HTTP code 401) unexpected - {"message":"Get https://registry-1.docker.io/v2/jboss/wildfly/manifests/latest: unauthorized: incorrect username or password"}',
    "https://github.com/docker-archive-public/docker.kitematic/issues/2619")
add(F, "!registry-unauthorized",
    r'GET /api/orders 401 Unauthorized 3ms',
    "look-alike: app answering 401")

# --- container start -------------------------------------------------------------------------------------------------------
F = "exec"
add(F, "exec-format-error",
    r'CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec format error: unknown',
    "known wording (runc 1.0)")
add(F, "exec-format-error",
    r'Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec format error: unknown',
    "known wording (runc 1.1)")
add(F, "exec-format-error",
    r'fork/exec /usr/local/bin/app: exec format error',
    "known wording (Go os/exec)")
add(F, "exec-permission-denied",
    r'docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/entrypoint.sh": permission denied: unknown.',
    "https://github.com/aminvakil/docker-ocserv/issues/52")
add(F, "exec-permission-denied",
    r'Error response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused "exec: \"/usr/bin/docker-entrypoint.sh\": permission denied": unknown',
    "https://github.com/OCSInventory-NG/OCSInventory-Docker-Image/issues/40")
add(F, "exec-permission-denied",
    r'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec /bin/entrypoint.sh: permission denied: unknown.',
    "https://github.com/appleboy/scp-action/issues/164")
add(F, "exec-permission-denied",
    r'ERROR: for decidim  Cannot start service decidim: OCI runtime create failed: container_linux.go:370: starting container process caused: exec: "/usr/local/bin/entrypoint.sh": permission denied: unknown',
    "https://github.com/decidim/docker/issues/76")
add(F, "!exec-permission-denied",
    r"Error: EACCES: permission denied, open '/app/logs/app.log'",
    "look-alike: app file permission")
add(F, "!exec-permission-denied",
    r"PermissionError: [Errno 13] Permission denied: '/data/cache'",
    "look-alike: app file permission")
add(F, "executable-not-found",
    r'Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/manager": stat /manager: no such file or directory: unknown',
    "https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123")
add(F, "executable-not-found",
    r"/usr/bin/env: 'bash\r': No such file or directory",
    "known wording (GNU env, CRLF script)")
add(F, "executable-not-found",
    r'/bin/sh: 1: gunicorn: not found',
    "known wording (dash, shell-form CMD)")
add(F, "executable-not-found",
    r'OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "python": executable file not found in $PATH: unknown',
    "known wording (runc 1.0)")

# --- CreateContainerConfigError --------------------------------------------------------------------------------------------
F = "create-container-config"
add(F, "run-as-non-root-image-runs-as-root",
    r'  Warning  Failed     6s (x4 over 18s)  kubelet            Error: container has runAsNonRoot and image will run as root (pod: "cmk-cluster-init-pod_cmk-namespace(fa1d4889-e80e-4506-ab08-40e0c50305cf)", container: cmk-cluster-init-pod)',
    "https://github.com/intel/CPU-Manager-for-Kubernetes/issues/299")
add(F, "run-as-non-root-image-runs-as-root",
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"external-dns-5bf5f97c4-bw7mg"},"status":{"containerStatuses":[{"name":"external-dns","state":{"waiting":{"reason":"CreateContainerConfigError","message":"container has runAsNonRoot and image will run as root (pod: \\"external-dns-5bf5f97c4-bw7mg_kube-system(d7ec6cb8)\\", container: external-dns"}}}]}}',
    "https://github.com/kubernetes-sigs/external-dns/issues/4003")
add(F, "run-as-non-root-image-runs-as-root",
    r'Error: container has runAsNonRoot and image has non-numeric user (appuser), cannot verify user is non-root (pod: "api-5d9c7_shop(1f2e)", container: api)',
    "known wording (kubelet kuberuntime_container_linux.go)")
add(F, "secret-not-found",
    r'  Warning  Failed     12s (x3 over 30s)  kubelet  Error: secret "db-credentials" not found',
    "known wording (kubelet)")
add(F, "secret-key-not-found",
    r"  Warning  Failed     12s (x3 over 30s)  kubelet  Error: couldn't find key password in Secret shop/db-credentials",
    "known wording (kubelet)")
add(F, "configmap-key-not-found",
    r"Error: couldn't find key DB_HOST in ConfigMap shop/app-config",
    "known wording (kubelet)")

# --- IRSA / credentials ----------------------------------------------------------------------------------------------------
F = "irsa"
add(F, "assume-role-with-web-identity-denied",
    r'{"level":"error","ts":1657324768.868449,"logger":"controller-runtime.manager.controller.targetGroupBinding","msg":"Reconciler error","reconciler group":"elbv2.k8s.aws","reconciler kind":"TargetGroupBinding","name":"k8s-default-backends-6d61d3952a","namespace":"default","error":"WebIdentityErr: failed to retrieve credentials\ncaused by: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\n\tstatus code: 403, request id: 5c3f9ce5-ba7d-495e-98b1-ffcd5cf85133"}',
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/1935")
add(F, "assume-role-with-web-identity-denied",
    r'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    "https://github.com/sentry-kubernetes/charts/issues/514")
add(F, "assume-role-with-web-identity-denied",
    r' ---> Amazon.SecurityToken.AmazonSecurityTokenServiceException: Not authorized to perform sts:AssumeRoleWithWebIdentity ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type Amazon.Runtime.Internal.HttpErrorResponseException was thrown.',
    "https://github.com/aws/aws-sdk-net/issues/1522")
add(F, "assume-role-with-web-identity-denied",
    r'software.amazon.awssdk.services.sts.model.StsException: Not authorized to perform sts:AssumeRoleWithWebIdentity (Service: Sts, Status Code: 403, Request ID: d8ee3773-3046-41d0-9b95-373ec1ae7b07, Extended Request ID: null)',
    "https://github.com/aws/aws-sdk-java-v2/issues/1470")
add(F, "assume-role-with-web-identity-denied",
    r'Caused by: org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException: No AWS Credentials provided by WebIdentityTokenCredentialsProvider : com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: Not authorized to perform sts:AssumeRoleWithWebIdentity (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied; Request ID: ID; Proxy: null)',
    "https://github.com/kubeflow/spark-operator/issues/1129")
add(F, "assume-role-with-web-identity-denied",
    r'operation error S3: ListBuckets, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: 1b2c3d, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    "known wording (aws-sdk-go-v2)")
add(F, "aws-credentials-not-found",
    r'CredentialsError: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1',
    "https://github.com/external-secrets/kubernetes-external-secrets/issues/287")
add(F, "aws-credentials-not-found",
    r'Amazon.Runtime.AmazonServiceException: Unable to get IAM security credentials from EC2 Instance Metadata Service.',
    "known wording (AWS SDK for .NET)")
add(F, "aws-credentials-not-found",
    r'NoCredentialProviders: no valid providers in chain. Deprecated.' + "\n" + r'	For verbose messaging see aws.Config.CredentialsChainVerboseErrors',
    "known wording (aws-sdk-go v1)")

# --- ALB controller ----------------------------------------------------------------------------------------------------------
F = "alb-controller"
add(F, "alb-controller-iam-permission-missing",
    r'  Warning  FailedDeployModel  8m40s                 service  Failed deploy model due to operation error Elastic Load Balancing v2: DescribeListenerAttributes, https response error StatusCode: 403, RequestID: d0c26a64-4fd8-4f7c-b1aa-8c51c2451f5b, api error AccessDenied: User: arn:aws:sts::111122223333:assumed-role/eksctl-multitenant-chatapp-addon-iamserviceac-Role1-Aw7D5jNdT8n3/1728584470917174269 is not authorized to perform: elasticloadbalancing:DescribeListenerAttributes because no identity-based policy allows the elasticloadbalancing:DescribeListenerAttributes action',
    "https://github.com/aws-samples/multi-tenant-chatbot-using-rag-with-amazon-bedrock/issues/17")
add(F, "alb-controller-iam-permission-missing",
    r'Warning  FailedDeployModel  6s (x5 over 46s)  service  (combined from similar events): Failed deploy model due to AccessDenied:  is not authorized to perform: elasticloadbalancing:AddTags on resource: arn:aws:elasticloadbalancing:us-east-1:* because no identity-based policy allows the elasticloadbalancing:AddTags action',
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/3399")
add(F, "alb-controller-iam-permission-missing",
    r'{"level":"error","ts":1655399434.099991,"logger":"controller-runtime.manager.controller.service","msg":"Reconciler error","name":"nginx-ingress-ingress-nginx-controller","namespace":"nginx","error":"UnauthorizedOperation: You are not authorized to perform this operation. Encoded authorization failure message: abc"}',
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2693")
add(F, "alb-controller-iam-permission-missing",
    r'Warning  FailedDeployModel  5m18s  service  Failed deploy model due to operation error Elastic Load Balancing v2: DescribeListenerAttributes, https response error StatusCode: 403, RequestID: 5b8fc496-62ed-46a2-ad07-57ec58d3c628, api error AccessDenied: User: [REDACTED] is not authorized to perform: elasticloadbalancing:DescribeListenerAttributes because no identity-based policy allows the elasticloadbalancing:DescribeListenerAttributes action',
    "https://github.com/interuss/dss/issues/1127")
add(F, "ingress-backend-service-not-found",
    r'  Warning  FailedBuildModel  10s  ingress  Failed build model due to ingress: shop/web: Service "web-svc" not found',
    "known wording (aws-load-balancer-controller)")
add(F, "alb-subnet-discovery-failed",
    r"  Warning  FailedBuildModel  32s  ingress  Failed build model due to couldn't auto-discover subnets: unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/elb])",
    "known wording (aws-load-balancer-controller v2.5+)")

# --- HPA ---------------------------------------------------------------------------------------------------------------------
F = "hpa"
add(F, "hpa-missing-cpu-request",
    r'  Warning  FailedGetResourceMetric       4s (x7 over 94s)     horizontal-pod-autoscaler  failed to get CPU utilization: missing request for CPU',
    "https://github.com/kubernetes-sigs/metrics-server/issues/923")
add(F, "hpa-missing-cpu-request",
    r'ScalingActive  False  FailedGetResourceMetric  the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container "istio-proxy" of Pod "web-5d9c7-xk2pq"',
    "known wording (HPA controller)")
add(F, "hpa-metrics-api-unavailable",
    r'  Warning  FailedGetResourceMetric  2m (x4 over 3m)  horizontal-pod-autoscaler  failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
    "known wording (HPA controller, metrics-server not installed)")
add(F, "hpa-metrics-api-unavailable",
    r'  Warning  FailedGetResourceMetric       19m (x21 over 29m)  horizontal-pod-autoscaler  unable to get metrics for resource cpu: unable to fetch metrics from API: the server could not find the requested resource (get pods.metrics.k8s.io)',
    "https://github.com/kubernetes-sigs/metrics-server/issues/41")
add(F, "hpa-metrics-api-unavailable",
    r'  Warning  FailedGetResourceMetric  15s  horizontal-pod-autoscaler  failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)',
    "known wording (HPA controller, metrics-server APIService down)")
add(F, "!hpa-metrics-api-unavailable",
    r'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    "look-alike: pods just started (metrics not yet scraped)")

# --- PDB / drain ---------------------------------------------------------------------------------------------------------------
F = "pdb"
add(F, "pdb-blocks-eviction",
    r'''error when evicting pods/"istiod-bc4584967-9l5j7" -n "istio-system" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.''',
    "https://github.com/k3d-io/k3d/pull/1414")
add(F, "pdb-blocks-eviction",
    r'''error when evicting pod "istio-telemetry-5448cbd995-ftw28" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.''',
    "https://github.com/kubernetes/kops/issues/7820")
add(F, "pdb-blocks-eviction",
    r'''ods/\"instance-manager-544b299ecbea15737889579f69a01867\" -n \"longhorn-system\" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.\nevicting pod longhorn-system/instance-manager-544b299ecbea15737889579f69a01867''',
    "https://github.com/longhorn/longhorn/issues/10833")
add(F, "pdb-blocks-eviction",
    r'''E0521 05:58:46.442152 1 drain_controller.go:163] error when evicting pods/"etcd-0" -n "clusters-cl-418-a" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.''',
    "https://github.com/red-hat-storage/ocs-ci/pull/13433")
add(F, "pdb-blocks-eviction",
    r'PodEvictionFailure: Reached max retries while trying to evict pods from nodes in node group ng-1',
    "https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html")

# --- immutable fields ------------------------------------------------------------------------------------------------------------
F = "immutable"
add(F, "immutable-field-on-apply",
    r'The Deployment "social-auth" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"run":"social-auth", "app":"social-auth"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    "https://github.com/kubernetes/kubectl/issues/573")
add(F, "immutable-field-on-apply",
    'install strategy failed: Deployment.apps\n"group-sync-operator-controller-manager" is invalid: spec.selector:\nInvalid value:\nv1.LabelSelector{MatchLabels:map[string]string{"control-plane":"group-sync-operator"},\nMatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    "https://github.com/redhat-cop/group-sync-operator/issues/325")
add(F, "immutable-field-on-apply",
    r'The Deployment "gatekeeper-controller-manager" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"control-plane":"controller-manager", "gatekeeper.sh/system":"yes"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    "https://github.com/open-policy-agent/gatekeeper/issues/466")
add(F, "immutable-field-on-apply",
    r'Error: UPGRADE FAILED: cannot patch "api" with kind Deployment: Deployment.apps "api" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"api"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    "known wording (helm upgrade)")
add(F, "immutable-field-on-apply",
    r'The Job "db-migrate" is invalid: spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:"", Labels:map[string]string{"job-name":"db-migrate"}}}: field is immutable',
    "known wording (kube-apiserver Job validation)")
add(F, "!immutable-field-on-apply",
    r'The Deployment "api" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    "look-alike: other validation error")

# --- disk ------------------------------------------------------------------------------------------------------------------------
F = "disk"
add(F, "no-space-left-on-device",
    r'Failed to pull image "registry.example.com/tableau-server:2022.1": rpc error: code = Unknown desc = failed to register layer: Error processing tar file(exit status 1): write /tableau-server-2022.rpm: no space left on device',
    "https://github.com/tableau/tableau-server-in-kubernetes/issues/14")
add(F, "no-space-left-on-device",
    r'time="2019-04-27T16:58:24.800670127Z" level=info msg="apply failure, attempting cleanup" error="failed to extract layer sha256:5dacd731af1b0386ead06c8b1feff9f65d9e0bdfec032d2cd0bc03690698feda: mount callback failed on /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount252943319: write /var/lib/rancher/k3s/agent/containerd/tmpmounts/containerd-mount252943319/lib/x86_64-linux-gnu/libc-2.24.so: no space left on device: unknown"',
    "https://github.com/rancher/k3os/issues/55")
add(F, "no-space-left-on-device",
    r'failed to register layer: no space left on device',
    "https://github.com/docker/for-win/issues/13751")
add(F, "no-space-left-on-device",
    r'failedSync	Error syncing pod, skipping: mkdir /var/lib/kubelet/pods/bb1ee0e8-b2e5-11e4-bfb6-42010af0101c: no space left on device',
    "https://github.com/kubernetes/kubernetes/issues/3431")
add(F, "no-space-left-on-device",
    r"OSError: [Errno 28] No space left on device: '/tmp/upload-1f2e'",
    "known wording (Python)")
add(F, "!no-space-left-on-device",
    r"Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'",
    "look-alike: inotify watch limit")

# --- OOM -------------------------------------------------------------------------------------------------------------------------
F = "oom"
add(F, "oom-killed",
    'Status reason\tOutOfMemoryError: Container killed due to memory usage Exit Code\t137',
    "https://github.com/aws/amazon-ecs-agent/issues/1187")
add(F, "oom-killed",
    r'Status reason | CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: container init was OOM-killed (memory limit too low?): unknown',
    "https://github.com/aws/amazon-ecs-agent/issues/3021")
add(F, "oom-killed",
    r'api-7d9f5c6b8-x2x9q   0/1     OOMKilled   3 (40s ago)   2m',
    "known wording (kubectl get pods)")
add(F, "oom-killed",
    r'  Warning  OOMKilling  3m  kernel-monitor, ip-10-0-1-23.ec2.internal  Memory cgroup out of memory: Killed process 4242 (java) total-vm:4512345kB, anon-rss:1023456kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:2345kB oom_score_adj:984',
    "known wording (node-problem-detector / kernel)")
add(F, "oom-killed",
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-1"},"status":{"containerStatuses":[{"name":"api","state":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}}',
    "known wording (pod status)")
add(F, "!oom-killed",
    r'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
    "look-alike: JVM heap (no container kill)")

# --- app runtimes ------------------------------------------------------------------------------------------------------------------
F = "app"
add(F, "node-cannot-find-module",
    r"Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/index.js",
    "known wording (Node ESM loader)")
add(F, "node-cannot-find-module",
    r"Error: Cannot find module '/app/dist/main.js'" + "\n" + r"    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)" + "\n" + r"  code: 'MODULE_NOT_FOUND',",
    "known wording (Node CJS loader)")
add(F, "node-cannot-find-module",
    r"Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/dist/config' imported from /app/dist/main.js",
    "known wording (Node ESM loader)")
add(F, "python-module-not-found",
    r"ModuleNotFoundError: No module named 'flask'",
    "known wording (Python 3)")
add(F, "python-module-not-found",
    r"ImportError: No module named flask",
    "known wording (Python 2)")
add(F, "!python-module-not-found",
    r"ImportError: cannot import name 'soft_unicode' from 'markupsafe' (/usr/local/lib/python3.9/site-packages/markupsafe/__init__.py)",
    "look-alike: version mismatch, module present")
add(F, "prisma-table-does-not-exist",
    r'PrismaClientKnownRequestError: Invalid `prisma.user.findMany()` invocation: The table `public.User` does not exist in the current database.',
    "known wording (Prisma P2021)")
add(F, "database-connection-timeout",
    r"PrismaClientInitializationError: Can't reach database server at `db.cluster-abc.us-east-1.rds.amazonaws.com`:`5432`",
    "known wording (Prisma P1001)")
add(F, "database-connection-timeout",
    r'psycopg2.OperationalError: connection to server at "db.cluster-abc.us-east-1.rds.amazonaws.com" (10.0.3.4), port 5432 failed: Connection timed out',
    "known wording (libpq)")
add(F, "database-connection-timeout",
    r'Error: connect ETIMEDOUT 10.0.3.4:5432',
    "known wording (node-postgres)")
add(F, "postgres-password-authentication-failed",
    r'error: password authentication failed for user "app"',
    "known wording (node-postgres)")
add(F, "database-host-not-resolved",
    r'Error: getaddrinfo ENOTFOUND db.internal',
    "known wording (Node dns)")

# --- held out: written after the patterns above were widened, run once before any further change ------------------------
H = " (held out)"
add("pull-network" + H, "image-pull-network-timeout",
    r'  Warning  Failed     2m (x4 over 4m)  kubelet  Failed to pull image "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:3.1": rpc error: code = Unknown desc = failed to pull and unpack image "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:3.1": failed to resolve reference "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:3.1": failed to do request: Head "https://111122223333.dkr.ecr.eu-west-1.amazonaws.com/v2/api/manifests/3.1": dial tcp 52.95.1.2:443: connect: connection timed out',
    "known wording (containerd, SYN dropped by a security group)")
add("pull-network" + H, "image-pull-network-timeout",
    r'CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/abc": dial tcp 52.218.1.2:443: i/o timeout',
    "known wording (ECS agent, S3 layer bucket without gateway endpoint)")
add("pull-network" + H, "image-pull-network-timeout",
    r'Failed to pull image "nginx": rpc error: code = Unknown desc = Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: read udp 10.0.1.5:41234->10.0.0.2:53: i/o timeout',
    "known wording (dockershim, DNS timeout)")
add("ecs-resource-init" + H, "execution-role-cannot-read-secret",
    r'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: 9a8b, api error AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/app-exec/abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action',
    "known wording (ECS agent, SDK v2)")
add("ecs-resource-init" + H, "ecr-pull-forbidden",
    r'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/app-exec/abc is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
    "known wording (ECS agent)")
add("pull-not-found" + H, "image-tag-not-found",
    r'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:sha-1a2b3c: 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:sha-1a2b3c: not found',
    "known wording (ECS agent)")
add("pull-not-found" + H, "image-tag-not-found",
    r'Failed to pull image "ghcr.io/acme/web:v9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/web:v9": failed to resolve reference "ghcr.io/acme/web:v9": ghcr.io/acme/web:v9: not found',
    "known wording (containerd)")
add("platform" + H, "exec-format-error",
    r'exec /usr/local/bin/node: exec format error',
    "known wording (runc 1.1, container log)")
add("platform" + H, "no-matching-manifest-for-platform",
    "CannotPullContainerError: pull image manifest has been retried 1 time(s): image Manifest does not contain descriptor matching platform 'linux/arm64'",
    "known wording (ECS agent, Graviton)")
add("pull-auth-rate" + H, "docker-hub-rate-limit",
    r'Error response from daemon: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
    "known wording (Docker Hub, 2025)")
add("pull-auth-rate" + H, "registry-unauthorized",
    r'Failed to pull image "ghcr.io/acme/private:1.0": failed to pull and unpack image "ghcr.io/acme/private:1.0": failed to resolve reference "ghcr.io/acme/private:1.0": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fprivate%3Apull&service=ghcr.io: 403 Forbidden',
    "known wording (containerd, token without read:packages)")
add("pull-auth-rate" + H, "ecr-no-basic-auth",
    r'Failed to pull image "111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1": rpc error: code = Unknown desc = failed to pull and unpack image "111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1": failed to resolve reference "111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1": pulling from host 111122223333.dkr.ecr.us-east-1.amazonaws.com failed with status code [manifests 1]: 401 Unauthorized',
    "known wording (containerd 1.7, no ECR credential provider on the node)")
add("exec" + H, "exec-permission-denied",
    r'Error: failed to start container "api": Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/run.sh": permission denied: unknown',
    "known wording (kubelet + dockerd)")
add("exec" + H, "executable-not-found",
    r'CannotStartContainerError: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "uvicorn": executable file not found in $PATH: unknown',
    "known wording (ECS on EC2)")
add("exec" + H, "executable-not-found",
    r'exec /app/server: no such file or directory',
    "known wording (runc 1.1, glibc binary on alpine)")
add("create-container-config" + H, "secret-not-found",
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-1"},"status":{"containerStatuses":[{"name":"api","state":{"waiting":{"reason":"CreateContainerConfigError","message":"secret \\"api-env\\" not found"}}}]}}',
    "known wording (pod status)")
add("create-container-config" + H, "configmap-not-found",
    r'  Warning  Failed     3s (x2 over 5s)  kubelet  Error: configmap "app-config" not found',
    "known wording (kubelet)")
add("irsa" + H, "oidc-provider-missing",
    r'An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: No OpenIDConnect provider found in your account for https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    "known wording (boto3 / aws cli)")
add("irsa" + H, "assume-role-with-web-identity-denied",
    r'CredentialsProviderError: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    "known wording (aws-sdk-js-v3)")
add("irsa" + H, "aws-credentials-not-found",
    r'software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(), ProfileCredentialsProvider(), ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()])',
    "known wording (aws-sdk-java-v2)")
add("alb-controller" + H, "alb-controller-iam-permission-missing",
    r'  Warning  FailedDeployModel  12s (x9 over 5m)  ingress  Failed deploy model due to AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/AmazonEKSLoadBalancerControllerRole/1700000000 is not authorized to perform: wafv2:GetWebACLForResource on resource: arn:aws:wafv2:us-east-1:111122223333:regional/webacl/* because no identity-based policy allows the wafv2:GetWebACLForResource action',
    "known wording (aws-load-balancer-controller)")
add("alb-controller" + H, "alb-https-listener-without-certificate",
    r'  Warning  FailedDeployModel  3s  ingress  Failed deploy model due to ValidationError: A certificate must be specified for HTTPS listeners',
    "known wording (aws-load-balancer-controller)")
add("hpa" + H, "hpa-missing-cpu-request",
    r'  Warning  FailedComputeMetricsReplicas  2m (x12 over 5m)  horizontal-pod-autoscaler  invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container "log-router" of Pod "web-6b9f-x8z"',
    "known wording (HPA controller 1.27+)")
add("pdb" + H, "pdb-blocks-eviction",
    r'evicting pod shop/web-6b9f-x8z' + "\n" + r'error when evicting pods/"web-6b9f-x8z" -n "shop" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
    "known wording (kubectl drain)")
add("immutable" + H, "immutable-field-on-apply",
    r'Error from server (Invalid): error when applying patch: ... for: "k8s/deployment.yaml": Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"frontend"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    "known wording (kubectl apply, client-side)")
add("immutable" + H, "immutable-field-on-apply",
    r'Error: UPGRADE FAILED: cannot patch "db-migrate" with kind Job: Job.batch "db-migrate" is invalid: spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:"", GenerateName:""}}: field is immutable',
    "known wording (helm upgrade, Job)")
add("disk" + H, "no-space-left-on-device",
    r'  Warning  Failed  1m  kubelet  Failed to pull image "111122223333.dkr.ecr.us-east-1.amazonaws.com/ml:2": rpc error: code = Unknown desc = failed to pull and unpack image "111122223333.dkr.ecr.us-east-1.amazonaws.com/ml:2": failed to extract layer sha256:0a1b: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/88/fs/usr/lib/libtorch.so: no space left on device: unknown',
    "known wording (containerd)")
add("oom" + H, "oom-killed",
    r'    Last State:     Terminated' + "\n" + r'      Reason:       OOMKilled' + "\n" + r'      Exit Code:    137',
    "known wording (kubectl describe)")
add("oom" + H, "container-killed-sigkill",
    '{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/t","stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited","containers":[{"name":"api","exitCode":137}]}]}',
    "known wording (ECS describe-tasks)")
add("app" + H, "node-cannot-find-module",
    r"node:internal/modules/cjs/loader:1147" + "\n" + r"  throw err;" + "\n" + r"  ^" + "\n\n" + r"Error: Cannot find module 'dotenv'" + "\n" + r"Require stack:" + "\n" + r"- /app/dist/main.js",
    "known wording (Node 20)")
add("app" + H, "python-module-not-found",
    r'  File "/app/main.py", line 3, in <module>' + "\n" + r'    import uvicorn' + "\n" + r"ModuleNotFoundError: No module named 'uvicorn'",
    "known wording (Python 3)")
add("app" + H, "database-host-not-resolved",
    r'psycopg2.OperationalError: could not translate host name "postgres" to address: Name or service not known',
    "known wording (libpq)")
