using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using FluentAssertions;
using Groundcrew.Iam;
using Xunit;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// The IAM matcher and evaluator against a reference model written here from the IAM documentation alone, not from
/// the implementation: wildcards become a regular expression (in the first five ARN parts a wildcard stays inside its
/// part, except a trailing <c>*</c> on a pattern with fewer than six parts; in the resource part <c>*</c> and
/// <c>?</c> cross ':' and '/'); actions match case-insensitively, resources case-sensitively; a statement applies when
/// its Action (or not its NotAction) and its Resource (or not its NotResource) match; an explicit Deny wins, then an
/// Allow, else the implicit deny. Values come from small alphabets so that matches and near misses are both common.
/// </summary>
public class IamMatcherProperties
{
    private const long Iterations = 3000;

    private static readonly Gen<string> Partition = Gen.OneOf("aws", "aws-cn", "aws-us-gov");
    private static readonly Gen<string> Service = Gen.OneOf("s3", "secretsmanager", "ssm", "kms", "logs");
    private static readonly Gen<string> Region = Gen.OneOf("", "us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1");
    private static readonly Gen<string> Account = Gen.OneOf("", "123456789012", "210987654321");
    private static readonly Gen<string> ResourcePart = Gen.String[Gen.Char["ab/:-xY"], 0, 7];

    private static readonly Gen<string> ArnGen =
        Gen.Select(Partition, Service, Region, Account, ResourcePart, (p, s, r, a, res) => $"arn:{p}:{s}:{r}:{a}:{res}");

    /// <summary>A pattern made from an ARN: each part kept, wildcarded, or partly wildcarded; sometimes cut short with a trailing *.</summary>
    private static readonly Gen<string> PatternGen = Gen.Select(ArnGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 7], PatternFrom);

    private static string PatternFrom(string arn, int bits, int cut)
        {
            var parts = IamMatch.Split(arn);
            var sb = new StringBuilder();
            for (var i = 0; i < parts.Count; i++)
            {
                if (i > 0) sb.Append(':');
                var part = parts[i];
                switch ((bits >> (i * 3)) & 7)
                {
                    case 0: sb.Append('*'); break;
                    case 1: sb.Append(part.Length > 0 ? part[..^1] + "?" : "?"); break;
                    case 2: sb.Append(part.Length > 1 ? part[..1] + "*" : part + "*"); break;
                    case 3: sb.Append(part.ToUpperInvariant()); break; // resources are case-sensitive
                    case 4: sb.Append(part + "x"); break;
                    default: sb.Append(part); break;
                }
                if (cut == i && i < 5) { sb.Append('*'); break; }
            }
            return sb.ToString();
        }

    // ---- The reference model -------------------------------------------------------------------------------------

    private static bool ModelAction(string pattern, string action) =>
        Regex.IsMatch(action, "^" + string.Concat(pattern.Select(c => c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) })) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static bool ModelResource(string pattern, string arn)
    {
        if (pattern == "*") return true;
        var sb = new StringBuilder("^");
        var colons = 0;
        var partCount = pattern.Count(c => c == ':') + 1;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var inResource = colons >= 5;
            var trailingSpanningStar = c == '*' && i == pattern.Length - 1 && partCount < 6;
            if (c == ':' && !inResource) colons++;
            sb.Append(c switch
            {
                '*' when inResource || trailingSpanningStar => ".*",
                '*' => "[^:]*",
                '?' when inResource => ".",
                '?' => "[^:]",
                _ => Regex.Escape(c.ToString()),
            });
        }
        return Regex.IsMatch(arn, sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    private sealed record Stmt(bool Deny, bool Not, string[] Actions, bool NotRes, string[] Resources);

    private static bool ModelApplies(Stmt s, string action, string arn) =>
        s.Actions.Any(a => ModelAction(a, action)) != s.Not && s.Resources.Any(r => ModelResource(r, arn)) != s.NotRes;

    private static Outcome ModelDecide(IReadOnlyList<Stmt> statements, string action, string arn) =>
        statements.Any(s => s.Deny && ModelApplies(s, action, arn)) ? Outcome.Denied
        : statements.Any(s => !s.Deny && ModelApplies(s, action, arn)) ? Outcome.Allowed
        : Outcome.ImplicitDeny;

    // ---- Properties ----------------------------------------------------------------------------------------------

    private static readonly Gen<string> ActionName = Gen.Select(Gen.OneOf("s3", "S3", "kms", "secretsmanager"), Gen.OneOf("GetObject", "getobject", "PutObject", "Decrypt", "GetSecretValue"), (s, a) => $"{s}:{a}");
    private static readonly Gen<string> ActionPattern = Gen.OneOf<string>(
        ActionName,
        Gen.Select(Gen.OneOf("s3", "kms", "secretsmanager", "*"), Gen.OneOf("Get*", "*Object", "G?tObject", "*", "Put*", "Decrypt"), (s, a) => $"{s}:{a}"),
        Gen.Const("*"));

    [Fact]
    public void Resource_matching_agrees_with_the_reference_model() =>
        Gen.Select(ArnGen, ArnGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 7], Gen.Bool).Sample((source, other, bits, cut, related) =>
        {
            // Half the time the ARN is the one the pattern was made from, so that matches are frequent.
            var pattern = PatternFrom(source, bits, cut);
            var arn = related ? source : other;
            var actual = IamMatch.Resource(pattern, arn);
            actual.Should().Be(ModelResource(pattern, arn), $"pattern {pattern} against {arn}");
        }, iter: Iterations);

    [Fact]
    public void A_pattern_made_from_an_arn_by_keeping_or_star_ing_whole_parts_matches_it() =>
        Gen.Select(ArnGen, Gen.Int[0, 63]).Sample((arn, mask) =>
        {
            var parts = IamMatch.Split(arn);
            var pattern = string.Join(':', parts.Select((p, i) => ((mask >> i) & 1) == 1 ? "*" : p));
            IamMatch.Resource(pattern, arn).Should().BeTrue($"{pattern} against {arn}");
            ModelResource(pattern, arn).Should().BeTrue();
        }, iter: Iterations);

    [Fact]
    public void Action_matching_agrees_with_the_reference_model() =>
        Gen.Select(ActionPattern, ActionName).Sample((pattern, action) =>
            IamMatch.Action(pattern, action).Should().Be(ModelAction(pattern, action), $"{pattern} against {action}"), iter: Iterations);

    private static readonly Gen<Stmt> StatementGen = Gen.Select(Gen.Bool, Gen.Bool, ActionPattern.Array[1, 3], Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.OneOf<string>(PatternGen, Gen.Const("*")).Array[1, 3],
        (deny, not, actions, notRes, resources) => new Stmt(deny, not, actions, notRes, resources));

    private static string Json(IEnumerable<Stmt> statements) =>
        Newtonsoft.Json.JsonConvert.SerializeObject(new
        {
            Version = "2012-10-17",
            Statement = statements.Select(s =>
            {
                var d = new Dictionary<string, object> { ["Effect"] = s.Deny ? "Deny" : "Allow" };
                d[s.Not ? "NotAction" : "Action"] = s.Actions;
                d[s.NotRes ? "NotResource" : "Resource"] = s.Resources;
                return d;
            }),
        });

    [Fact]
    public void Evaluation_of_allow_deny_and_not_elements_agrees_with_the_reference_model() =>
        Gen.Select(StatementGen.Array[1, 4], ActionName, ArnGen).Sample((statements, action, arn) =>
        {
            var policy = PolicyDocument.ParseJson(Json(statements), "policy.json", "p");
            var decision = IamEvaluator.Evaluate([policy], action, arn);
            decision.Outcome.Should().Be(ModelDecide(statements, action, arn), $"{Json(statements)} for {action} on {arn}");
        }, iter: 1500);

    private static readonly Gen<string> SecretName = Gen.String[Gen.Char["abc-/_"], 1, 6];
    private static readonly Gen<string> Suffix = Gen.String[Gen.Char["AbCdEf0123456789xyzXYZ"], 6, 6];

    [Fact]
    public void A_secret_named_without_its_six_character_suffix_is_matched_as_IAM_would_for_every_suffix() =>
        Gen.Select(Partition, Region, SecretName, Suffix, Gen.OneOf("", "-*", "*", "-??????", "-?", "-A*", "-", "-******")).Sample((partition, region, name, suffix, tail) =>
        {
            var partial = $"arn:{partition}:secretsmanager:{region}:123456789012:secret:{name}";
            var full = partial + "-" + suffix;
            foreach (var pattern in new[] { partial + tail, full, partial + "-" + suffix[..3] + "*" })
            {
                var applies = IamMatch.ResourceForSecretWithoutSuffix(pattern, partial);
                var matchesThisSuffix = ModelResource(pattern, full);
                // Yes: whatever the real suffix is; No: for no suffix; Unknown: for some.
                if (applies == Applies.Yes) matchesThisSuffix.Should().BeTrue($"{pattern} said to match every suffix, but not -{suffix}");
                if (applies == Applies.No) matchesThisSuffix.Should().BeFalse($"{pattern} said to match no suffix, but matches -{suffix}");
            }
            IamMatch.IsSecretWithoutSuffix(partial, full).Should().BeTrue();
            IamMatch.Resource(partial, full).Should().BeFalse("the policy must name the suffix or a wildcard for it");
            IamMatch.LooksLikeCompleteSecretArn(full).Should().Be(suffix.All(char.IsAsciiLetterOrDigit));
        }, iter: Iterations);
}
