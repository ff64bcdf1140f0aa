using FluentAssertions;
using Groundcrew.Diagnose;
using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Diagnose.Signatures;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

/// <summary>
/// `diagnose` says what it saw (issue 16): causes quote the values captured from the input, never a seed report's names,
/// and matching survives other tools' and versions' wordings. Every text here is invented (no seed report's names) so a
/// pass cannot come from a pattern tuned to one report.
/// </summary>
public class SignatureWordingTests
{
    private static readonly SignatureBase Base = SignatureBase.Load();

    // Names that only the five seed reports use (../shared/seeds): systems, services, namespaces, accounts, classes.
    private static readonly string[] SeedNames =
    [
        "vextrus", "hokusai", "agentic-aws", "cloudmart", "stage3v3", "ftc-app", "os-service", "billing-service", "execution-service",
        "finance-service", "week4-prod-final", "932100697590", "211050572089", "305032652600", "BudgetRepository", "ExecutionTaskDocument",
        "TaskStatus", "mlflow",
    ];

    [Fact]
    public void No_cause_or_fix_quotes_a_seed_report_name()
    {
        var offenders = Base.Signatures
            .SelectMany(s => new[] { s.Title, s.Cause }.Concat(s.Fix)
                .Concat(s.Hypotheses.SelectMany(h => new[] { h.Cause, h.TellsApart }.Concat(h.Fix)))
                .SelectMany(text => SeedNames.Where(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)).Select(n => $"{s.Id}: {n}")))
            .ToList();

        offenders.Should().BeEmpty("a cause describes what this input captured, not a name from the report the signature was written from");
    }

    [Theory]
    [InlineData("local-image-not-in-registry",
        "Failed to pull image \"acme/ledger:v7\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for acme/ledger, repository does not exist or may require 'docker login'",
        "`acme/ledger`")]
    [InlineData("execution-role-cannot-read-secret",
        "AccessDeniedException: User: arn:aws:sts::444455556666:assumed-role/orders-exec-role/9f1 is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:444455556666:secret:orders/db-Ab12Cd",
        "`orders-exec-role`")]
    [InlineData("aws-resource-name-too-long",
        "Error: creating ELBv2 Target Group: ValidationError: Target group name 'payments-platform-staging-internal-tg' cannot be longer than '32' characters",
        "`payments-platform-staging-internal-tg`")]
    [InlineData("mongoose-cannot-determine-type",
        "Cannot determine a type for the \"Invoice.state\" field (union/intersection/ambiguous type was used).", "`state`")]
    [InlineData("ecs-ssm-parameter-not-found",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /shop/prod/stripe-key",
        "`/shop/prod/stripe-key`")]
    [InlineData("hpa-missing-cpu-request",
        "Warning  FailedGetResourceMetric  horizontal-pod-autoscaler  failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container \"log-shipper\" of Pod \"checkout-5d9c7-xk2pq\"",
        "`log-shipper`")]
    [InlineData("exec-permission-denied",
        "runc create failed: unable to start container process: exec: \"/srv/boot.sh\": permission denied: unknown", "`/srv/boot.sh`")]
    [InlineData("immutable-field-on-apply",
        "The Job \"ledger-migrate\" is invalid: spec.template: Invalid value: core.PodTemplateSpec{}: field is immutable", "`ledger-migrate`")]
    [InlineData("alb-controller-iam-permission-missing",
        "Failed deploy model due to AccessDenied: User: arn:aws:sts::444455556666:assumed-role/ledger-lbc/17 is not authorized to perform: elasticloadbalancing:AddTags on resource: arn:aws:elasticloadbalancing:eu-west-1:444455556666:targetgroup/k8s-x/1",
        "`elasticloadbalancing:AddTags`")]
    public void A_matched_cause_quotes_what_was_captured(string id, string text, string quoted)
    {
        var match = MatchIn(text).FirstOrDefault(m => m.Signature.Id == id);

        match.Should().NotBeNull($"{id} must match:\n{text}");
        match!.Cause.Should().Contain(quoted);
        match.Cause.Should().NotContain("{{", "every placeholder is filled or falls back to words");
    }

    [Fact]
    public void Without_a_capture_the_cause_reads_as_plain_words()
    {
        var signature = Base.Find("local-image-not-in-registry")!;

        CauseTemplate.Generic(signature.Cause).Should().Contain("an image by a bare local name").And.NotContain("{{");
        CauseTemplate.Render("role {{role|}} lacks it", new Dictionary<string, string>()).Should().Be("role lacks it");
        CauseTemplate.Render("`{{.Architecture}}` stays", null).Should().Be("`{{.Architecture}}` stays");
    }

    [Fact]
    public void A_placeholder_without_a_capture_group_fails_at_load()
    {
        var act = () => SignatureBase.Parse([("typo.yaml", """
            signatures:
              - id: typo-placeholder
                title: t
                cause: 'The image {{imgae|x}} is missing'
                fix: [f]
                sources: [https://example.com]
                match:
                  - message: 'pull (?<image>\S+)'
            """)]);

        act.Should().Throw<SignatureFormatException>().WithMessage("*placeholder {{imgae}}*");
    }

    // Other tools' and versions' wordings of failures the base already knows; the texts are invented in each shape.
    [Theory]
    [InlineData("mongoose-cannot-determine-type", "CannotDetermineTypeError: Cannot determine a type for the \"Shipment.carrier\" field")]
    [InlineData("mongoose-cannot-determine-type", "Error: Cannot determine a type for the \"carrier\" field")]
    [InlineData("mongoose-cannot-determine-type", "boot failed: Cannot determine a type for the Shipment.carrier field")]
    [InlineData("iac-resource-already-exists", "error: resource 'ledger-bucket' already exists; import it into the stack with `pulumi import`")]
    [InlineData("aws-resource-name-too-long", "An error occurred (ValidationError) when calling the CreateTargetGroup operation: Target group name 'inventory-service-green-deploy-tg' cannot be longer than '32' characters")]
    [InlineData("aws-resource-name-too-long", "ValidationError: Target group name 'inventory-service-green-deploy-tg' cannot be longer than '32' characters")]
    [InlineData("aws-resource-name-too-long", "An error occurred (InvalidParameterValue) when calling the CreateQueue operation: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")]
    [InlineData("aws-resource-name-too-long", "InvalidParameterValue: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")]
    [InlineData("aws-resource-name-too-long", "An error occurred (ValidationError) when calling the CreateRole operation: 1 validation error detected: Value 'warehouse-robotics-production-eu-central-1-task-execution-role' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64")]
    [InlineData("aws-resource-name-too-long", "operation error IAM: CreateRole, https response error StatusCode: 400, RequestID: 1f2e, api error ValidationError: 1 validation error detected: Value 'warehouse-robotics-production-eu-central-1-task-execution-role' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64")]
    [InlineData("ecs-ssm-parameter-not-found", "ResourceInitializationError: invalid ssm parameters: /kiosk/staging/sentry-dsn")]
    [InlineData("image-tag-not-found", "Error response from daemon: manifest for registry.example.org/team/kiosk:nightly not found")]
    [InlineData("image-tag-not-found", "CannotPullContainerError: API error (404): manifest for 444455556666.dkr.ecr.eu-west-1.amazonaws.com/kiosk:9f3c not found")]
    public void Other_wordings_match(string id, string text)
    {
        MatchIn(text).Select(m => m.Signature.Id).Should().Contain(id, $"this wording must be explained:\n{text}");
    }

    // The same errors inside JSON: escapes are decoded before matching.
    [Theory]
    [InlineData("node-cannot-find-module", """{"log":"Error: Cannot find module \u0027fastify\u0027\n","stream":"stderr","time":"2026-01-02T03:04:05Z"}""")]
    [InlineData("image-tag-not-found", """2026-01-02T03:04:05.000Z {"level":"error","msg":"CannotPullContainerError: Error response from daemon: manifest for \"registry.example.org/kiosk:rc1\" not found: manifest unknown"}""")]
    [InlineData("iac-resource-already-exists", "{\"@level\":\"error\",\"@message\":\"Error: creating IAM Role (kiosk-task): operation error IAM: CreateRole, https response error StatusCode: 409, EntityAlreadyExists: Role with name \\\"kiosk-task\\\" already exists.\",\"type\":\"diagnostic\"}\n{\"@level\":\"info\",\"@message\":\"Apply complete\",\"type\":\"summary\"}")]
    [InlineData("ecs-secret-json-key-missing", """    "stoppedReason": "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key \u0022dbhost\u0022 (task stopped)""")]
    [InlineData("mongoose-cannot-determine-type", """{"message":"{\"level\":\"error\",\"msg\":\"Cannot determine a type for the \\\"Shipment.carrier\\\" field\"}","timestamp":1767322800000}""")]
    public void Errors_inside_json_strings_match(string id, string text)
    {
        MatchIn(text).Select(m => m.Signature.Id).Should().Contain(id, $"the escaped error must be explained:\n{text}");
    }

    [Fact]
    public void Decoding_json_escapes_keeps_the_line_numbers()
    {
        var text = "first line\n{\"msg\":\"Error: Cannot find module \\u0027fastify\\u0027\\n at load\"}\nthird line";

        var match = MatchIn(text).Single(m => m.Signature.Id == "node-cannot-find-module");

        match.Evidence.Should().ContainSingle().Which.Line.Should().Be(2);
        match.Captures["module"].Should().Be("fastify");
    }

    [Fact]
    public void Lines_wrapped_by_terraform_frames_are_rejoined()
    {
        var text = """
            ╷
            │ Error: creating ELBv2 Target Group (kiosk): ValidationError: Target group name
            │ 'kiosk-frontend-blue-green-target-group' cannot be longer than '32' characters
            │
            │   with aws_lb_target_group.kiosk,
            │   on alb.tf line 12, in resource "aws_lb_target_group" "kiosk":
            │   12: resource "aws_lb_target_group" "kiosk" {
            ╵
            """;

        var match = MatchIn(text).Single(m => m.Signature.Id == "aws-resource-name-too-long");

        match.Captures["name"].Should().Be("kiosk-frontend-blue-green-target-group");
        match.Evidence.First().Line.Should().Be(2, "the joined line is quoted at its first source line");
    }

    [Fact]
    public void A_line_hard_wrapped_at_the_terminal_width_is_rejoined()
    {
        const string message = "CannotPullContainerError: Error response from daemon: manifest for registry.example.org/team/kiosk:nightly-2026 not found: manifest unknown";
        var text = message[..80] + "\n" + message[80..] + "\nnext unrelated line";

        MatchIn(text).Single(m => m.Signature.Id == "image-tag-not-found").Captures["image"].Should().Be("registry.example.org/team/kiosk:nightly-2026");
    }

    [Fact]
    public void Unrelated_lines_are_not_joined()
    {
        // Two log records, each long; joining them would make the first one's "cannot be longer than" read as a target group.
        var text = """
            2026-01-02T03:04:05Z worker-1 started the nightly export job for the analytics warehouse tables
            2026-01-02T03:04:06Z worker-1 Target group name check skipped for the export job as configured
            - cannot be longer than '32' characters is the documented limit for a load balancer's target group
            """;
        var (lines, first) = WrappedLines.Join(Groundcrew.Diagnose.Input.PlainTextReader.SplitLines(text));

        lines.Should().HaveCount(PlainTextReader.SplitLines(text).Length);
        first.Should().Equal(Enumerable.Range(1, lines.Length));
    }

    [Fact]
    public void Ipamd_pool_counters_with_no_free_ip_are_a_fact()
    {
        var text = """
            {"level":"debug","ts":"2026-01-02T03:04:00.000Z","caller":"ipamd/ipamd.go:765","msg":"IP stats for Network Card 0 - total IPs: 14, assigned IPs: 9, cooldown IPs: 0"}
            {"level":"debug","ts":"2026-01-02T03:05:00.000Z","caller":"ipamd/ipamd.go:765","msg":"IP stats for Network Card 0 - total IPs: 14, assigned IPs: 13, cooldown IPs: 1"}
            """;

        var match = MatchIn(text).SingleOrDefault(m => m.Signature.Id == "vpc-cni-ip-exhaustion");

        match.Should().NotBeNull("14 IPs, 13 assigned and 1 cooling down leaves none for a new pod");
        match!.Evidence.Should().ContainSingle().Which.Line.Should().Be(2);
    }

    [Fact]
    public void Ipamd_pool_that_recovered_is_not_exhaustion()
    {
        var text = """
            {"level":"debug","msg":"IP pool stats: total = 10, used = 10, c.maxIPsPerENI = 5"}
            {"level":"debug","msg":"IP pool stats: total = 20, used = 11, c.maxIPsPerENI = 5"}
            """;

        MatchIn(text).Select(m => m.Signature.Id).Should().NotContain("vpc-cni-ip-exhaustion", "the newest counters show free IPs");
    }

    // The new families: one text that fires and one look-alike that does not.
    [Theory]
    [InlineData("alb-listen-ports-not-json",
        "Warning  FailedBuildModel  30s  ingress  Failed build model due to failed to parse json annotation, alb.ingress.kubernetes.io/listen-ports: 8080: cannot unmarshal number into Go value of type []map[string]int64")]
    [InlineData("alb-subnet-discovery-failed",
        "Warning  FailedBuildModel  ingress/shop  Failed build model due to couldn't auto-discover subnets: unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/internal-elb])")]
    [InlineData("alb-subnet-discovery-failed",
        "failed to build LoadBalancer configuration due to failed to resolve 2 qualified subnet for ALB. Subnets must contains these tags: 'kubernetes.io/cluster/': ['shared' or 'owned'] and 'kubernetes.io/role/elb': ['' or '1']")]
    [InlineData("ecs-target-group-without-load-balancer",
        "InvalidParameterException: The target group with targetGroupArn arn:aws:elasticloadbalancing:eu-west-1:444455556666:targetgroup/kiosk-tg/0f1e2d3c4b5a6978 does not have an associated load balancer.")]
    [InlineData("hpa-missing-cpu-request",
        "ScalingActive  False  FailedGetResourceMetric  the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu")]
    [InlineData("registry-unauthorized",
        "Failed to pull image \"quay.example.net/ledger/worker:4\": failed to resolve reference \"quay.example.net/ledger/worker:4\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://quay.example.net/v2/auth: 401 Unauthorized")]
    [InlineData("exec-permission-denied",
        "CannotStartContainerError: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/srv/boot.sh\": permission denied: unknown")]
    [InlineData("no-space-left-on-device",
        "Failed to pull image \"registry.example.net/ledger/ml:7\": rpc error: code = Unknown desc = failed to extract layer sha256:9f: write /var/lib/containerd/tmpmounts/m1/opt/model.bin: no space left on device: unknown")]
    [InlineData("ecs-log-group-missing",
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1")]
    [InlineData("run-as-non-root-image-runs-as-root",
        "Error: container has runAsNonRoot and image has non-numeric user (ledger), cannot verify user is non-root (pod: \"ledger-7c9_ops(9f)\", container: ledger)")]
    [InlineData("hpa-metrics-api-unavailable",
        "Warning  FailedGetResourceMetric  40s  horizontal-pod-autoscaler  failed to get memory utilization: unable to get metrics for resource memory: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)")]
    [InlineData("immutable-field-on-apply",
        "The Deployment \"ledger\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"ledger\", \"team\":\"ops\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable")]
    [InlineData("alb-controller-iam-permission-missing",
        "Warning  FailedDeployModel  20s  ingress  Failed deploy model due to operation error Elastic Load Balancing v2: ModifyListenerAttributes, https response error StatusCode: 403, RequestID: 7e, api error AccessDenied: User: arn:aws:sts::444455556666:assumed-role/ledger-lbc/17 is not authorized to perform: elasticloadbalancing:ModifyListenerAttributes")]
    [InlineData("image-pull-network-timeout",
        "CannotPullContainerError: Error response from daemon: Get \"https://444455556666.dkr.ecr.eu-west-1.amazonaws.com/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)")]
    [InlineData("execution-role-cannot-read-ssm-parameter",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: ...")]
    [InlineData("pdb-blocks-eviction",
        "PodEvictionFailure: Reached max retries while trying to evict pods from nodes in node group ledger-workers")]
    [InlineData("oom-killed",
        "Memory cgroup out of memory: Killed process 31337 (gunicorn) total-vm:912345kB, anon-rss:512000kB")]
    [InlineData("executable-not-found", "/bin/sh: ledgerd: not found")]
    public void A_new_family_fires(string id, string text)
    {
        MatchIn(text).Select(m => m.Signature.Id).Should().Contain(id);
    }

    [Theory]
    [InlineData("alb-listen-ports-not-json", "alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 443}]' applied; Successfully reconciled")]
    [InlineData("alb-subnet-discovery-failed", "Successfully reconciled ingress shop: subnets subnet-0a1, subnet-0b2 discovered by tags")]
    [InlineData("ecs-target-group-without-load-balancer", "(service kiosk) registered 1 targets in (target-group arn:aws:elasticloadbalancing:eu-west-1:444455556666:targetgroup/kiosk-tg/0f1e)")]
    [InlineData("hpa-missing-cpu-request", "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API")]
    [InlineData("registry-unauthorized", "POST /v2/ledger/entries 401 Unauthorized (token expired)")]
    [InlineData("exec-permission-denied", "open /srv/ledger/journal.db: permission denied")]
    [InlineData("no-space-left-on-device", "Error: ENOSPC: System limit for number of file watchers reached, watch '/srv/ledger'")]
    [InlineData("immutable-field-on-apply", "The Deployment \"ledger\" is invalid: spec.template.spec.containers[0].image: Required value")]
    [InlineData("image-pull-network-timeout", "Get \"https://ledger.example.net/v2/entries\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")]
    [InlineData("alb-controller-iam-permission-missing", "AccessDeniedException: User: arn:aws:sts::444455556666:assumed-role/ledger-app/1 is not authorized to perform: dynamodb:PutItem")]
    public void A_new_family_does_not_fire_on_a_look_alike(string id, string text)
    {
        MatchIn(text).Select(m => m.Signature.Id).Should().NotContain(id);
    }

    [Fact]
    public void An_empty_cluster_name_ranks_that_cause_first()
    {
        var match = MatchIn("Failed build model due to failed to resolve 2 qualified subnet for ALB. Subnets must contains these tags: 'kubernetes.io/cluster/': ['shared' or 'owned'] and 'kubernetes.io/role/elb': ['' or '1']")
            .Single(m => m.Signature.Id == "alb-subnet-discovery-failed");

        match.Hypotheses.First().Hypothesis.Id.Should().Be("cluster-name-empty");
        match.Cause.Should().Contain("`kubernetes.io/role/elb`");
    }

    [Fact]
    public void Real_wordings_in_the_base_name_their_source()
    {
        var sourced = Base.Signatures.SelectMany(s => s.Examples).Where(e => e.Source != null).ToList();

        sourced.Should().HaveCountGreaterThanOrEqualTo(20);
        sourced.Should().OnlyContain(e => e.Source!.StartsWith("https://"));
    }

    private static IReadOnlyList<DiagnosisMatch> MatchIn(string text) =>
        DiagnoseRun.Run(new InputDocument("pasted.log", text)).Matches;
}
