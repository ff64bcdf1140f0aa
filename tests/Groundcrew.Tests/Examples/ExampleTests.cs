using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Examples;

/// <summary>
/// Each seed system in examples/ reproduces the files its post-mortem describes; `check` must report each
/// incident (INCIDENTS.md id in the test name) at the line a person edits. Incidents that need a later
/// capability (Terraform and IAM, app code, live inventory) are listed as skipped with the issue that adds it.
/// </summary>
[RunsLong]
public class ExampleTests
{
    private static readonly Dictionary<string, CheckResult> Cache = new();

    private static CheckResult Run(string example)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(example, out var r)) Cache[example] = r = Scan.Folder(Path.Combine(Repo.Root, "examples", example));
            return r;
        }
    }

    private static int Line(string example, string file, string contains) =>
        Load.KustomizeTests.Line(Path.Combine(Repo.Root, "examples", example, file), contains);

    private static void Expect(string example, string ruleId, string file, string lineContains, Severity? severity = null)
    {
        var line = Line(example, file, lineContains);
        line.Should().BeGreaterThan(0, $"examples/{example}/{file} should contain '{lineContains}'");
        var findings = Run(example).Of(ruleId).ToList();
        findings.Should().Contain(f => f.Span.File == file && f.Span.StartLine == line,
            $"{ruleId} should fire at examples/{example}/{file}:{line}; it fired at {string.Join(", ", findings.Select(f => $"{f.Span.File}:{f.Span.StartLine}"))}");
        if (severity is { } s)
            findings.First(f => f.Span.File == file && f.Span.StartLine == line).Severity.Should().Be(s);
    }

    // --- A: os-service / billing-service / execution-service on EKS with Kustomize ---

    [Fact]
    public void A2_irsa_role_arn_with_placeholder_account_id() =>
        Expect("a-os-service", "placeholder-value", "os-service/k8s/base/serviceaccount.yaml", "ACCOUNT_ID:role", Severity.Error);

    [Fact]
    public void A3_static_aws_keys_and_session_token_injected_from_a_secret()
    {
        Expect("a-os-service", "long-lived-aws-credentials", "billing-service/k8s/base/deployment.yaml", "name: AWS_ACCESS_KEY_ID", Severity.Error);
        Expect("a-os-service", "long-lived-aws-credentials", "billing-service/k8s/base/deployment.yaml", "name: AWS_SESSION_TOKEN", Severity.Error);
    }

    [Fact]
    public void A7_alb_https_listener_without_certificate() =>
        Run("a-os-service").Of("alb-https-without-certificate").Should().ContainSingle(f => f.Span.File == "os-service/k8s/base/ingress.yaml" && f.Severity == Severity.Error);

    [Fact]
    public void A8_kustomize_image_with_placeholder_account_points_at_the_images_entry() =>
        Expect("a-os-service", "placeholder-value", "os-service/k8s/overlays/development/kustomization.yaml", "newName: ACCOUNT_ID", Severity.Error);

    [Fact]
    public void A8_bare_local_image_name_where_the_cluster_pulls_from_ecr()
    {
        var findings = Run("a-os-service").Of("local-image-pulled-from-registry").ToList();
        findings.Should().Contain(f => f.Span.File.StartsWith("billing-service/k8s/") && f.Severity == Severity.Error);
        findings.Should().NotContain(f => f.Span.File.StartsWith("execution-service/"), "its overlay gives a full ECR name");
    }

    [Fact]
    public void A12_execution_service_needs_mongodb_uri_that_no_manifest_provides()
    {
        Expect("a-os-service", "required-env-missing", "execution-service/k8s/base/deployment.yaml", "env:", Severity.Error);
        var finding = Run("a-os-service").Of("required-env-missing").Should().ContainSingle().Subject;
        finding.Message.Should().Contain("MONGODB_URI");
        finding.Related.Should().ContainSingle(r => r.Span.File == "execution-service/src/app.module.ts"
            && r.Span.StartLine == Line("a-os-service", "execution-service/src/app.module.ts", "uri: config.getOrThrow"));
    }

    [Fact]
    public void A10_npx_prisma_after_a_production_install_fetches_the_latest_prisma()
    {
        Expect("a-os-service", "npx-unpinned", "os-service/Dockerfile", "RUN npx prisma generate", Severity.Error);
        Run("a-os-service").Of("npx-unpinned").Should().ContainSingle("the build stage runs npx after a full `npm ci`: that one is fine")
            .Which.Message.Should().Contain("6.5.0");
    }

    [Fact]
    public void A1_prisma_schema_without_migrations_that_nothing_applies()
    {
        Expect("a-os-service", "prisma-migrations-not-applied", "os-service/prisma/schema.prisma", "datasource db {", Severity.Error);
        var finding = Run("a-os-service").Of("prisma-migrations-not-applied").Should().ContainSingle().Subject;
        finding.Message.Should().Contain("os-service/prisma/migrations").And.Contain("db push");
        finding.Related.Should().Contain(r => r.Message.Contains("Deployment os-service"));
    }

    [Fact]
    public void A4_string_token_providers_injected_without_inject()
    {
        const string file = "execution-service/src/application/executions/use-cases/create-execution.use-case.ts";
        Expect("a-os-service", "nest-string-token-without-inject", file, "private readonly executionRepository: IExecutionRepository", Severity.Error);
        Expect("a-os-service", "nest-string-token-without-inject", file, "private readonly eventPublisher: IEventPublisher", Severity.Error);
        var findings = Run("a-os-service").Of("nest-string-token-without-inject").ToList();
        findings.Should().HaveCount(2, "GetExecutionUseCase says @Inject('IExecutionRepository') and the repository's @InjectModel parameter is fine");
        findings.Should().Contain(f => f.Message.Contains("@Inject('IExecutionRepository')") && f.Related!.Any(r => r.Span.File == "execution-service/src/application/executions/executions.module.ts"));
    }

    [Fact]
    public void A5_mongoose_enum_prop_without_type()
    {
        Expect("a-os-service", "mongoose-enum-without-type", "execution-service/src/infra/database/schemas/execution.schema.ts", "@Prop({ required: true, enum: TaskStatus })");
        Run("a-os-service").Of("mongoose-enum-without-type").Should().ContainSingle("the @Prop with `type: String, enum: TaskStatus` is fine")
            .Which.Message.Should().Contain("ExecutionTaskDocument.status");
    }

    [Fact]
    public void A9_nestjs_config_3_beside_nestjs_11_is_an_unmet_peer()
    {
        Expect("a-os-service", "unmet-peer-dependency", "execution-service/package.json", "\"@nestjs/config\": \"^3.2.0\"", Severity.Error);
        var finding = Run("a-os-service").Of("unmet-peer-dependency").Should().ContainSingle(
            "reflect-metadata 0.1.x satisfies NestJS 11's recorded peer range ^0.1.12 || ^0.2.0: npm itself does not object to it").Subject;
        finding.Message.Should().Contain("@nestjs/common").And.Contain("^8.0.0 || ^9.0.0 || ^10.0.0").And.Contain("11.");
    }

    [Fact]
    public void A6_images_built_on_arm64_without_platform()
    {
        // orchestration/build-and-push-images.sh is run from a laptop (builder unknown: a warning), the nodes are amd64.
        const string script = "orchestration/build-and-push-images.sh";
        Expect("a-os-service", "image-built-for-wrong-architecture", script, "docker build -t os-service:latest", Severity.Warning);
        Expect("a-os-service", "image-built-for-wrong-architecture", script, "docker build -t billing-service:latest", Severity.Warning);
        var finding = Run("a-os-service").Of("image-built-for-wrong-architecture").First(f => f.Span.StartLine == Line("a-os-service", script, "docker build -t os-service:latest"));
        finding.Message.Should().Contain("developer script: the builder's architecture is unknown").And.Contain("$ECR_URL/os-service:latest").And.Contain("linux/amd64");
        finding.Fix.Should().Contain("--platform linux/amd64");
        finding.Related.Should().Contain(r => r.Span.File == ".groundcrew.yaml");
    }

    [Fact]
    public void A11_events_reach_the_queue_but_the_consumer_cannot_receive()
    {
        Expect("a-os-service", "consumer-cannot-receive", "terraform/irsa-roles.tf", "name = \"billing-service-role\"", Severity.Error);
        var finding = Run("a-os-service").Of("consumer-cannot-receive").Should().ContainSingle().Subject;
        finding.Message.Should().Contain("billing-service-events-development").And.Contain("sqs:ReceiveMessage and sqs:DeleteMessage");
        finding.Related.Should().Contain(r => r.Span.File == "billing-service/k8s/base/deployment.yaml"
            && r.Span.StartLine == Line("a-os-service", "billing-service/k8s/base/deployment.yaml", "value: https://sqs."));
        Run("a-os-service").Of("queue-policy-missing-for-eventbridge").Should().BeEmpty("the events do reach the queue");
    }

    [Fact]
    public void A2_the_irsa_roles_of_the_proper_solution_trust_their_service_accounts() =>
        Run("a-os-service").Of("irsa-trust-mismatch").Should().BeEmpty("os-service-role (module inputs) and billing-service-role trust ftc-app/os-service and ftc-app/billing-service");

    // --- B: CloudMart on EKS ---

    [Fact]
    public void B2_browser_config_points_at_a_cluster_internal_service() =>
        Expect("b-cloudmart", "browser-env-internal-address", "k8s/frontend.yaml", "http://cloudmart-backend:5000/api", Severity.Error);

    [Fact]
    public void B3_secret_holds_template_placeholders()
    {
        Expect("b-cloudmart", "placeholder-value", "k8s/backend.yaml", "<your-openai-assistant-id>", Severity.Error);
        Expect("b-cloudmart", "placeholder-value", "k8s/backend.yaml", "<your-bedrock-agent-id>", Severity.Error);
    }

    [Fact]
    public void B4_env_from_config_without_a_rollout_trigger_is_a_note() =>
        Run("b-cloudmart").Of("config-change-not-rolled-out").Should().ContainSingle(f => f.Message.Contains("cloudmart-backend") && f.Severity == Severity.Note);

    [Fact]
    public void B1_irsa_trust_does_not_match_the_service_account()
    {
        Expect("b-cloudmart", "irsa-trust-mismatch", "iam/irsa.tf", "system:serviceaccount:default:cloudmart-backend\"", Severity.Error);
        var finding = Run("b-cloudmart").Of("irsa-trust-mismatch").Should().ContainSingle().Subject;
        finding.Message.Should().Contain("cloudmart-eks-pod-role").And.Contain("cloudmart-backend-sa");
        finding.Related.Should().ContainSingle(r => r.Span.File == "k8s/backend.yaml"
            && r.Span.StartLine == Line("b-cloudmart", "k8s/backend.yaml", "eks.amazonaws.com/role-arn"));
    }

    [Fact]
    public void B1_cluster_declared_without_an_iam_oidc_provider() =>
        Expect("b-cloudmart", "irsa-oidc-provider-missing", "iam/irsa.tf", "name     = \"cloudmart\"", Severity.Warning);

    // --- C: Hokusai on ECS ---

    [Fact]
    public void C1_revision_that_drops_the_secrets_block_is_an_error_against_the_base_revision()
    {
        using var repo = new TempDir();
        var source = Path.Combine(Repo.Root, "examples", "c-hokusai");
        var target = Path.Combine(repo.Path, "task-definitions", "hokusai-api-development.json");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(source, "history", "rev130", "hokusai-api-development.json"), target);
        Git(repo.Path, "init", "-q");
        Git(repo.Path, "add", ".");
        Git(repo.Path, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "revision 130");
        File.Copy(Path.Combine(source, "task-definitions", "hokusai-api-development.json"), target, overwrite: true);

        var result = Scan.Folder(repo.Path, baseRevision: "HEAD");
        var finding = result.Of("ecs-revision-drops-secrets").Should().ContainSingle().Subject;
        finding.Severity.Should().Be(Severity.Error);
        finding.Span.File.Should().Be("task-definitions/hokusai-api-development.json");
        finding.Message.Should().Contain("DB_PASSWORD");

        Scan.Folder(repo.Path).Of("ecs-revision-drops-secrets").Should().BeEmpty("without --base there is nothing to compare with");
    }

    [Fact]
    public void C3_hardcoded_password_in_a_connection_uri_is_reported_and_redacted_everywhere()
    {
        Expect("c-hokusai", "plaintext-credential", "task-definitions/hokusai-mlflow-development.json", "BACKEND_STORE_URI", Severity.Error);
        foreach (var format in Groundcrew.Report.Reporters.All.Select(r => r.Name))
        {
            var run = GroundcrewCli.Exec("check", Path.Combine(Repo.Root, "examples", "c-hokusai"), "--format", format);
            run.Stdout.Should().NotContain("TestPassword123!", $"the {format} output must not print the password");
            run.Stdout.Should().NotBeEmpty();
        }
    }

    [Fact]
    public void C5_secret_arn_with_placeholder_suffix() =>
        Expect("c-hokusai", "placeholder-value", "task-definitions/hokusai-auth-development.json", "auth-token-RANDOM", Severity.Error);

    [Fact]
    public void C_terraform_is_read_without_input_errors()
    {
        var result = Run("c-hokusai");
        result.Model.Resources.Should().Contain(r => r.Family == Groundcrew.Model.ResourceFamily.Terraform && r.Name == "aws_iam_role.ecs_task_execution");
        result.Findings.Should().NotContain(f => f.Span.File.StartsWith("terraform/") && f.RuleId == "input-error");
    }

    [Fact]
    public void C2_C4_execution_roles_cannot_read_their_secrets()
    {
        // C2: ecsTaskExecutionRole (terraform/iam.tf) only has AmazonECSTaskExecutionRolePolicy; mlflow reads hokusai/app-secrets.
        Expect("c-hokusai", "execution-role-cannot-read-secret", "task-definitions/hokusai-mlflow-development.json", "hokusai/app-secrets/development-G9l4vD", Severity.Error);
        // C4: the auth service's own execution role, same gap, for both of its secrets.
        Expect("c-hokusai", "execution-role-cannot-read-secret", "task-definitions/hokusai-auth-development.json", "\"REDIS_AUTH_TOKEN\"", Severity.Error);
        Expect("c-hokusai", "execution-role-cannot-read-secret", "task-definitions/hokusai-auth-development.json", "\"AUTH_DB_PASSWORD\"", Severity.Error);
        var findings = Run("c-hokusai").Of("execution-role-cannot-read-secret").ToList();
        findings.Should().HaveCount(3);
        var mlflow = findings.Single(f => f.Span.File.EndsWith("mlflow-development.json"));
        mlflow.Message.Should().Contain("ecsTaskExecutionRole").And.Contain("secretsmanager:GetSecretValue").And.Contain("AmazonECSTaskExecutionRolePolicy");
        mlflow.Fix.Should().Contain("secretsmanager:GetSecretValue").And.Contain("arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development-G9l4vD");
        mlflow.Related.Should().Contain(r => r.Span.File == "terraform/iam.tf");
        findings.Where(f => f.Span.File.EndsWith("auth-development.json")).Should().OnlyContain(f => f.Message.Contains("hokusai-auth-task-execution-development"));
    }

    // --- D: Stage3v3 on ECS (Terraform and Pulumi) ---

    [Fact]
    public void D1_generated_alb_name_longer_than_32_characters()
    {
        // "${local.prefix}-internal-alb" evaluates to agentic-aws-stage3v3-internal-alb (33 characters).
        Expect("d-stage3v3", "aws-name-too-long", "infra/terraform/network.tf", "name               = \"${local.prefix}-internal-alb\"", Severity.Error);
        Expect("d-stage3v3", "aws-name-too-long", "infra/pulumi/stack-export.json", "\"name\": \"agentic-aws-stage3v3-internal-alb\"", Severity.Error);
        Run("d-stage3v3").Of("aws-name-too-long").Should().HaveCount(2).And.OnlyContain(f => f.Message.Contains("33 characters"));
    }

    [Fact]
    public void D3_private_subnets_without_egress()
    {
        Expect("d-stage3v3", "private-subnet-no-egress", "infra/terraform/ecs.tf", "subnets          = [aws_subnet.private_a.id", Severity.Error);
        var finding = Run("d-stage3v3").Of("private-subnet-no-egress").Should().ContainSingle(f => f.Span.File == "infra/terraform/ecs.tf").Subject;
        finding.Message.Should().Contain("aws_subnet.private_a and aws_subnet.private_b").And.Contain("the VPC's main route table (no route table association")
            .And.Contain("secretsmanager");
        finding.Related.Should().Contain(r => r.Span.File == "infra/terraform/network.tf"
            && r.Span.StartLine == Line("d-stage3v3", "infra/terraform/network.tf", "resource \"aws_route_table\" \"private\"")
            && r.Message.Contains("no subnet is associated"));
        finding.Fix.Should().Contain("aws_route_table_association").And.Contain("aws_route_table.private");
    }

    [Fact]
    public void D3_private_subnets_without_egress_in_the_pulumi_stack_export()
    {
        const string file = "infra/pulumi/stack-export.json";
        var finding = Run("d-stage3v3").Of("private-subnet-no-egress").Should().ContainSingle(f => f.Span.File == file).Subject;
        finding.Severity.Should().Be(Severity.Error);
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "examples", "d-stage3v3", file));
        lines[finding.Span.StartLine - 1].Trim().Should().Be("\"subnet-0private0000000a\",", "the finding points at the service's first subnet id");
        finding.Message.Should().Contain("private-a").And.Contain("private-b").And.Contain("main route table");
        finding.Related.Should().Contain(r => r.Message.Contains("private-rt") && r.Message.Contains("no subnet is associated"));
        finding.Fix.Should().Contain("aws.ec2.RouteTableAssociation");
    }

    [Fact]
    public void D4_execution_role_trusts_ec2_and_cannot_read_the_database_secret()
    {
        // The trust policy names ec2.amazonaws.com: ECS cannot assume the role (reported at the principal).
        Expect("d-stage3v3", "task-role-not-assumable-by-ecs", "infra/terraform/ecs.tf", "Principal = { Service = \"ec2.amazonaws.com\" }", Severity.Error);
        var trust = Run("d-stage3v3").Of("task-role-not-assumable-by-ecs").Should().ContainSingle().Subject;
        trust.Message.Should().Contain("agentic-aws-stage3v3-ecs-execution").And.Contain("ec2.amazonaws.com");
        trust.Fix.Should().Contain("ecs-tasks.amazonaws.com");
        // Only AmazonECSTaskExecutionRolePolicy is attached: nothing grants the RDS-managed secret.
        Expect("d-stage3v3", "execution-role-cannot-read-secret", "infra/terraform/ecs.tf", "DATABASE_URL_SECRET", Severity.Error);
    }

    [Fact]
    public void D5_clean_counterpart_reads_only_the_keys_the_rds_secret_has()
    {
        // examples/clean/orders-worker parses the injected rds!db-... secret and reads username and password; host and dbname come from plain variables.
        var app = Run("clean").Model.Apps.Single(a => a.DisplayPath == "orders-worker");
        app.Scan.Secrets.KeyReads.Select(k => (k.Source.EnvName, k.Key)).Should().BeEquivalentTo([("DB_CREDENTIALS", "username"), ("DB_CREDENTIALS", "password")]);
        Run("clean").Of("secret-key-not-in-secret").Should().BeEmpty();
    }

    [Fact]
    public void D5_D6_app_reads_keys_the_rds_secret_lacks_and_passes_the_value_as_an_id()
    {
        // .groundcrew.yaml ties the stage3v3-backend image to app/; ECS injects the rds!db-... secret's JSON into DATABASE_URL_SECRET.
        Expect("d-stage3v3", "secret-value-used-as-secret-id", "app/db.py", "client.get_secret_value(SecretId=DATABASE_URL_SECRET)", Severity.Error);
        Expect("d-stage3v3", "secret-key-not-in-secret", "app/db.py", "host=secret[\"host\"]", Severity.Error);
        Expect("d-stage3v3", "secret-key-not-in-secret", "app/db.py", "database=secret[\"dbname\"]", Severity.Error);
        Run("d-stage3v3").Of("secret-key-not-in-secret").Should().HaveCount(2, "username and password are in the secret")
            .And.OnlyContain(f => f.Related!.Any(r => r.Span.File == "infra/terraform/ecs.tf" || r.Span.File == "infra/pulumi/stack-export.json"), "the task definition is declared both in Terraform and in the Pulumi stack export");
    }

    // --- E: Vextrus finance service ---

    [Fact]
    public void E1_hpa_metric_type_pod_instead_of_pods() =>
        Expect("e-vextrus", "invalid-enum-value", "k8s/finance-service.yaml", "- type: Pod", Severity.Error);

    [Fact]
    public void E2_local_image_with_a_pull_policy_that_forces_a_registry_pull() =>
        Expect("e-vextrus", "local-image-pulled-from-registry", "k8s/finance-service.yaml", "image: vextrus/finance-service:latest");

    [Fact]
    public void E3_replicas_below_the_hpa_minimum() =>
        Expect("e-vextrus", "hpa-conflicts-with-replicas", "k8s/finance-service.yaml", "replicas: 2", Severity.Warning);

    [Fact]
    public void E4_pnpm_workspace_node_modules_copied_apart()
    {
        Expect("e-vextrus", "pnpm-node-modules-split", "services/finance/Dockerfile.local", "/app/services/finance/node_modules ./node_modules", Severity.Error);
        Run("e-vextrus").Of("pnpm-node-modules-split").Should().ContainSingle().Which.Fix.Should().Contain("pnpm");
    }

    // --- The clean system, and the whole folder as the README runs it ---

    [Fact]
    public void Clean_system_has_no_errors_or_warnings()
    {
        var result = Run("clean");
        result.Findings.Where(f => f.Severity >= Severity.Warning).Should().BeEmpty(
            string.Join("\n", result.Findings.Select(f => $"{f.RuleId} {f.Span}: {f.Message}")));
        result.Model.Resources.Count.Should().BeGreaterThan(8, "the clean system is a real one, not an empty folder");
    }

    [Fact]
    public void Clean_release_workflow_builds_on_arm64_for_the_amd64_platform()
    {
        var builds = Run("clean").Model.Builds;
        builds.Should().HaveCount(2).And.OnlyContain(b => b.Pushes && b.Builder == Groundcrew.Model.CpuArch.Arm64 && b.PlatformArch == Groundcrew.Model.CpuArch.Amd64);
        Run("clean").Of("image-built-for-wrong-architecture").Should().BeEmpty();
    }

    [Fact]
    public void Clean_system_runs_its_fargate_service_in_private_subnets_routed_through_the_nat_gateway()
    {
        var result = Run("clean");
        var net = result.Model.Network;
        var service = result.Model.FindByAddress("aws_ecs_service.orders_api")!;
        var subnets = service.Body.GetSeq("network_configuration")!.Maps.Single().GetSeq("subnets")!.Items;
        subnets.Should().HaveCount(2);
        foreach (var item in subnets)
        {
            var table = net.RouteTableOf(net.SubnetFor(service, item)!)!;
            table.Name.Should().Be("aws_route_table.private");
            net.EgressOf(table).Should().Be(Groundcrew.Model.Aws.Egress.Nat);
        }
    }

    [Fact]
    public void Quick_start_command_scans_every_example_and_fails_on_their_errors()
    {
        var run = GroundcrewCli.Exec("check", Path.Combine(Repo.Root, "examples"));
        run.ExitCode.Should().Be(1);
        run.Stdout.Should().Contain("a-os-service").And.Contain("e-vextrus").And.Contain("FAILED");
    }

    private static void Git(string cwd, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
        p.ExitCode.Should().Be(0, $"git {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }
}
