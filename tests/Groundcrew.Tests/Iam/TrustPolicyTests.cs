using FluentAssertions;
using Groundcrew.Iam;
using Xunit;
using static Groundcrew.Tests.Iam.IamEvaluatorTests;

namespace Groundcrew.Tests.Iam;

public class TrustPolicyTests
{
    private const string Host = "oidc.eks.us-east-1.amazonaws.com/id/04BCD543DFE4A4D8E63C3B78198B4076";
    private const string ProviderArn = "arn:aws:iam::305032652600:oidc-provider/" + Host;

    // The trust policy of /work/shared/seeds/000 (incidents A2/B1): the os-service role for IRSA.
    private const string OsServiceTrust = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": {
              "Federated": "arn:aws:iam::305032652600:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/04BCD543DFE4A4D8E63C3B78198B4076"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
              "StringEquals": {
                "oidc.eks.us-east-1.amazonaws.com/id/04BCD543DFE4A4D8E63C3B78198B4076:sub": "system:serviceaccount:ftc-app:os-service"
              }
            }
          }]
        }
        """;

    [Fact]
    public void Irsa_trust_from_the_seed_names_the_service_account()
    {
        var trust = Doc(OsServiceTrust, "trust.json");
        foreach (var provider in new[] { ProviderArn, Host, "https://" + Host, (string?)null })
        {
            var irsa = TrustPolicy.IrsaSubjects(trust, provider);
            irsa.Should().ContainSingle(provider ?? "any provider");
            var sub = irsa[0].Subjects.Single();
            sub.Namespace.Should().Be("ftc-app");
            sub.Name.Should().Be("os-service");
            sub.IsPattern.Should().BeFalse();
            sub.Span.StartLine.Should().Be(11, "the finding should point at the sub value");
            irsa[0].Allows("ftc-app", "os-service").Should().Be(Applies.Yes);
            irsa[0].Allows("ftc-app", "billing-service").Should().Be(Applies.No);
            irsa[0].Allows("default", "os-service").Should().Be(Applies.No);
            irsa[0].Audiences.Should().BeEmpty();
        }
        TrustPolicy.IrsaSubjects(trust, "oidc.eks.eu-west-1.amazonaws.com/id/OTHER").Should().BeEmpty("another cluster's provider is not trusted");
    }

    [Fact]
    public void B1_trust_for_a_service_account_in_another_namespace_does_not_admit_the_pod()
    {
        // /work/shared/seeds/001 (B1): cloudmart-backend-sa could not assume cloudmart-eks-pod-role. The usual shape
        // of that mismatch: the trust names the service account in the namespace it was first created in.
        var trust = Doc($$"""
            { "Statement": [{ "Effect": "Allow", "Principal": { "Federated": "{{ProviderArn}}" },
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": { "StringEquals": {
                "{{Host}}:sub": "system:serviceaccount:default:cloudmart-backend-sa",
                "{{Host}}:aud": "sts.amazonaws.com" } } }] }
            """);
        var irsa = TrustPolicy.IrsaSubjects(trust, Host).Single();
        irsa.Allows("cloudmart", "cloudmart-backend-sa").Should().Be(Applies.No);
        irsa.Allows("default", "cloudmart-backend-sa").Should().Be(Applies.Yes);
        irsa.Subjects.Single().Namespace.Should().Be("default");
        irsa.Audiences.Single().Value.Should().Be("sts.amazonaws.com");
        TrustPolicy.WhoCanAssume(trust).Single().Actions.Should().Equal("sts:AssumeRoleWithWebIdentity");
    }

    [Fact]
    public void Irsa_string_like_subjects_keep_wildcards_and_aud_is_reported()
    {
        var trust = Doc($$"""
            { "Statement": [{ "Effect": "Allow", "Principal": { "Federated": "{{ProviderArn}}" },
              "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
              "Condition": {
                "StringLike": { "{{Host}}:sub": ["system:serviceaccount:team-*:api", "system:serviceaccount:ops:*"] },
                "StringEquals": { "{{Host}}:aud": "sts.amazonaws.com" } } }] }
            """);
        var irsa = TrustPolicy.IrsaSubjects(trust, ProviderArn).Single();
        irsa.Subjects.Select(s => s.Value).Should().Equal("system:serviceaccount:team-*:api", "system:serviceaccount:ops:*");
        irsa.Subjects.Should().OnlyContain(s => s.IsPattern);
        irsa.Subjects[0].Namespace.Should().Be("team-*");
        irsa.Audiences.Single().Value.Should().Be("sts.amazonaws.com");
        irsa.Allows("team-a", "api").Should().Be(Applies.Yes);
        irsa.Allows("ops", "anything").Should().Be(Applies.Yes);
        irsa.Allows("team-a", "worker").Should().Be(Applies.No);
    }

    [Fact]
    public void Irsa_without_sub_condition_trusts_every_service_account()
    {
        var trust = Doc($$"""
            { "Statement": [{ "Effect": "Allow", "Principal": { "Federated": "{{ProviderArn}}" }, "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": { "StringEquals": { "{{Host}}:aud": "sts.amazonaws.com" } } }] }
            """);
        var irsa = TrustPolicy.IrsaSubjects(trust, Host).Single();
        irsa.AnySubject.Should().BeTrue();
        irsa.Allows("any", "thing").Should().Be(Applies.Yes);
    }

    [Fact]
    public void Ecs_tasks_trust_is_allowed_and_another_service_is_not()
    {
        var trust = Doc("""
            { "Version": "2012-10-17", "Statement": [{ "Sid": "Ecs", "Effect": "Allow",
              "Principal": { "Service": ["ecs-tasks.amazonaws.com"] }, "Action": "sts:AssumeRole" }] }
            """);
        var d = TrustPolicy.AllowsService(trust, "ecs-tasks.amazonaws.com");
        d.Outcome.Should().Be(Outcome.Allowed);
        d.DecidingStatements.Single().Statement!.Sid.Should().Be("Ecs");
        TrustPolicy.AllowsService(trust, "ec2.amazonaws.com").Outcome.Should().Be(Outcome.ImplicitDeny);
        TrustPolicy.AllowsService(trust, "ecs-tasks.amazonaws.com", "sts:AssumeRoleWithWebIdentity").Outcome.Should().Be(Outcome.ImplicitDeny);

        var grant = TrustPolicy.WhoCanAssume(trust).Single();
        grant.Kind.Should().Be(PrincipalKind.Service);
        grant.Value.Should().Be("ecs-tasks.amazonaws.com");
        grant.Actions.Should().Equal("sts:AssumeRole");
        grant.IsConditional.Should().BeFalse();
    }

    [Fact]
    public void Service_trust_with_a_source_account_condition_is_conditional()
    {
        var trust = Doc("""
            { "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ecs-tasks.amazonaws.com" }, "Action": "sts:AssumeRole",
              "Condition": { "StringEquals": { "aws:SourceAccount": "123456789012" } } }] }
            """);
        TrustPolicy.AllowsService(trust, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.Conditional);
        var grant = TrustPolicy.WhoCanAssume(trust).Single();
        grant.IsConditional.Should().BeTrue();
        grant.Conditions.Single().Key.Should().Be("aws:SourceAccount");
    }

    [Fact]
    public void Who_can_assume_lists_every_principal_kind_and_skips_denies()
    {
        var trust = Doc($$"""
            { "Statement": [
              { "Effect": "Allow", "Principal": { "AWS": ["arn:aws:iam::111122223333:root", "444455556666"], "Service": "ec2.amazonaws.com" }, "Action": ["sts:AssumeRole", "sts:TagSession"] },
              { "Effect": "Allow", "Principal": { "Federated": "{{ProviderArn}}" }, "Action": "sts:AssumeRoleWithWebIdentity" },
              { "Effect": "Deny", "Principal": { "AWS": "*" }, "Action": "sts:AssumeRole" },
              { "Effect": "Allow", "Principal": { "Service": "s3.amazonaws.com" }, "Action": "s3:GetObject" }
            ] }
            """);
        var grants = TrustPolicy.WhoCanAssume(trust);
        grants.Select(g => (g.Kind, g.Value)).Should().BeEquivalentTo(new[]
        {
            (PrincipalKind.AWS, "arn:aws:iam::111122223333:root"), (PrincipalKind.AWS, "444455556666"),
            (PrincipalKind.Service, "ec2.amazonaws.com"), (PrincipalKind.Federated, ProviderArn),
        });
        grants.First().Actions.Should().Equal("sts:AssumeRole", "sts:TagSession");
        TrustPolicy.AllowsAwsPrincipal(trust, "arn:aws:iam::111122223333:role/deployer").Outcome.Should().Be(Outcome.Denied, "the Deny for every AWS principal wins");
    }

    [Fact]
    public void Account_root_trust_admits_principals_of_that_account_only()
    {
        var trust = Doc("""{ "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "sts:AssumeRole" }] }""");
        TrustPolicy.AllowsAwsPrincipal(trust, "arn:aws:iam::111122223333:role/ci").Outcome.Should().Be(Outcome.Allowed);
        TrustPolicy.AllowsAwsPrincipal(trust, "arn:aws:iam::999988887777:role/ci").Outcome.Should().Be(Outcome.ImplicitDeny);
        var roleOnly = Doc("""{ "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/ci" }, "Action": "sts:AssumeRole" }] }""");
        TrustPolicy.AllowsAwsPrincipal(roleOnly, "arn:aws:iam::111122223333:role/other").Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void Trust_without_principal_grants_nobody()
    {
        var trust = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole" }] }""");
        TrustPolicy.AllowsService(trust, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.ImplicitDeny);
        TrustPolicy.WhoCanAssume(trust).Should().BeEmpty();
    }
}
