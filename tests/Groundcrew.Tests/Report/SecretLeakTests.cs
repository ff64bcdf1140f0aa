using System.Text;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// Plants secret values of every kind in a repository and in logs, runs every verb in every format the way a user does
/// (files, stdin, --output FILE, --repo), and greps everything printed for each value, plain and base64.
/// </summary>
public sealed class SecretLeakTests : IDisposable
{
    // Values the repository holds (only knowable from the repository itself).
    private const string StringDataValue = "Str1ngDataPlanted-Qx7";
    private const string DataValue = "DataB64Planted-Zk9w";
    private const string TfSensitiveDefault = "TfSensitivePlanted-Vv2";
    private const string TfVarFileValue = "TfVarFilePlanted-Hh5";
    private const string EnvCredential = "EnvApiKeyPlanted-Mm3";
    // Values that are secret on sight in a log.
    private const string LogPassword = "LogDbPassPlanted-Rr8";
    private const string LogToken = "LogTokenPlanted-Tt4";
    private const string UriPassword = "UriPassPlanted-Uu6";
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlUGxhbnRlZDEyMzQ1";
    private const string GitHubToken = "ghp_PlantedGitHubToken0123456789abcdefghij";
    private const string FlagPassword = "FlagPassPlanted-Ff1";
    private const string JsonApiKey = "JsonApiKeyPlanted-Jj2";

    private static readonly string[] RepositoryValues = [StringDataValue, DataValue, TfSensitiveDefault, TfVarFileValue, EnvCredential];
    private static readonly string[] LogValues = [LogPassword, LogToken, UriPassword, Jwt, GitHubToken, FlagPassword, JsonApiKey];

    private readonly string _root = Directory.CreateTempSubdirectory("gc-leak-").FullName;
    private string Repo => Path.Combine(_root, "repo");
    private string Log => Path.Combine(_root, "app.log");

    public SecretLeakTests()
    {
        Directory.CreateDirectory(Repo);
        // Each secret sits on a line that gets a finding, so the console code frame shows that line.
        File.WriteAllText(Path.Combine(Repo, "secret.yaml"), $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData: {DB_PASSWORD: {{StringDataValue}}, url: "REPLACE_ME"}
            """);
        File.WriteAllText(Path.Combine(Repo, "secret2.json"),
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db2\"},\"stringDta\":{\"x\":\"y\"},\"data\":{\"token\":\"" + B64(DataValue) + "\"}}\n");
        File.WriteAllText(Path.Combine(Repo, "app.yaml"), $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: a}}
                spec:
                  containers:
                  - name: a
                    image: nginx:1.25
                    env:
                    - {name: API_KEY, value: "{{{EnvCredential}}}", valueFrm: x}
            """);
        File.WriteAllText(Path.Combine(Repo, "main.tf"), $$"""
            variable "db_password" {
              type      = string
              sensitive = true
              default   = "{{TfSensitiveDefault}}"
            }
            variable "api_token" {
              type      = string
              sensitive = true
            }
            """);
        File.WriteAllText(Path.Combine(Repo, "terraform.tfvars"), $"api_token = \"{TfVarFileValue}\"\n");
        // The rule that masks literal credentials is off: redaction must not depend on which rules run.
        File.WriteAllText(Path.Combine(Repo, ".groundcrew.yaml"), "rules:\n  plaintext-credential: off\n");

        var log = new StringBuilder();
        log.AppendLine($"2026-01-01T00:00:00Z error starting app DB_PASSWORD={LogPassword}");
        log.AppendLine($"fatal: auth failed token={LogToken}");
        log.AppendLine($"error: connecting to postgres://app:{UriPassword}@db:5432/app failed");
        log.AppendLine($"error: jwt {Jwt} rejected");
        log.AppendLine($"error: git clone with {GitHubToken} failed");
        log.AppendLine($"error: exec failed: /usr/bin/app --password {FlagPassword} --port 80");
        log.AppendLine($$"""error: bad config {"apiKey": "{{JsonApiKey}}"}""");
        // The repository's values, quoted free-form where no pattern can see them: only --repo can mask these.
        log.AppendLine($"error: password authentication failed for user \"app\" (pw {StringDataValue})");
        log.AppendLine($"error: connection refused using {TfSensitiveDefault} and {DataValue} and {TfVarFileValue} and {EnvCredential}");
        log.AppendLine("Error: secret \"db\" not found");
        File.WriteAllText(Log, log.ToString());
    }

    public void Dispose() => Directory.Delete(_root, true);

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static void ShouldNotLeak(string output, IEnumerable<string> values, string what)
    {
        foreach (var v in values)
        {
            output.Should().NotContain(v, $"{what} must not print the planted secret");
            output.Should().NotContain(B64(v).TrimEnd('='), $"{what} must not print the planted secret in base64");
        }
    }

    [Fact]
    public void Check_prints_no_repository_secret_in_any_format_or_output_file()
    {
        var outputs = new[] { "console", "json", "sarif", "junit", "github" }.ToDictionary(f => f, f => Path.Combine(_root, "out." + f));
        var args = new List<string> { "check", Repo, "--format", "console" };
        foreach (var (format, file) in outputs) args.AddRange(["--output", $"{format}={file}"]);

        var run = GroundcrewCli.Exec(args.ToArray());

        run.ExitCode.Should().Be(1, run.Stderr);
        var console = File.ReadAllText(outputs["console"]);
        console.Should().Contain("stringDta").And.Contain("placeholder", "the findings on the secrets' lines are still reported, with their code frames");
        console.Should().Contain("| stringData: {DB_PASSWORD: ****", "the code frame shows the line with the value masked");
        ShouldNotLeak(run.Stdout + run.Stderr, RepositoryValues, "check on stdout");
        foreach (var (format, file) in outputs) ShouldNotLeak(File.ReadAllText(file), RepositoryValues, $"check --output {format}=FILE");
    }

    private static readonly string[] DiagnoseFormats = ["console", "json", "sarif", "junit"];

    private (GroundcrewCli.Run Run, Dictionary<string, string> Outputs) DiagnoseEveryFormat(string name, string? stdin, params string[] args) =>
        GroundcrewCli.ExecWritingFormats(DiagnoseFormats, _root, name, stdin, ["diagnose", .. args]);

    [Fact]
    public void Diagnose_masks_log_credentials_from_files_and_stdin_in_every_format()
    {
        var fromFile = DiagnoseEveryFormat("file", null, Log);
        var fromStdin = DiagnoseEveryFormat("stdin", File.ReadAllText(Log), "-");

        foreach (var (what, (run, outputs)) in new[] { ("a file", fromFile), ("stdin", fromStdin) })
        {
            run.ExitCode.Should().Be(0, run.Stderr);
            ShouldNotLeak(run.Stdout + run.Stderr, LogValues, $"diagnose of {what} on stdout");
            foreach (var (format, text) in outputs)
            {
                text.Should().Contain("secret-not-found", $"the diagnosis itself still works in {format}");
                ShouldNotLeak(text, LogValues, $"diagnose of {what} --output {format}=FILE");
            }
        }
    }

    [Fact]
    public void Diagnose_with_repo_also_masks_the_repositorys_own_secret_values_in_every_format()
    {
        var (run, outputs) = DiagnoseEveryFormat("repo", null, "--repo", Repo, Log);

        run.ExitCode.Should().Be(0, run.Stderr);
        ShouldNotLeak(run.Stdout + run.Stderr, RepositoryValues.Concat(LogValues), "diagnose --repo on stdout");
        foreach (var (format, text) in outputs)
        {
            text.Should().Contain("postgres-password-authentication-failed", format);
            ShouldNotLeak(text, RepositoryValues.Concat(LogValues), $"diagnose --repo --output {format}=FILE");
        }
    }

    // Values a verify flow meets: a --var named in `secrets:`, a secret captured from a response, and credential-shaped
    // text in a command's output that no flow names.
    private const string FlowPassword = "FlowPassPlanted-Pp3";
    private const string SessionHandle = "SessionPlanted-Ss9";
    private const string ExecDbPassword = "ExecDbPassPlanted-Ee4";
    private static readonly string[] VerifyValues = [FlowPassword, SessionHandle, ExecDbPassword, Jwt];

    [Fact]
    public async Task Verify_prints_no_flow_secret_from_responses_or_command_output_in_any_format()
    {
        // The service answers a login with the session under a key no pattern calls secret, and echoes the password.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/login", async (HttpContext ctx) =>
        {
            var sent = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            return Results.Json(new { handle = SessionHandle, note = $"you sent {sent}" });
        });
        await app.StartAsync();
        var api = app.Urls.First();

        // The first flow fails on the login itself, before its capture of the secret ran; the second passes the login and
        // fails on a command that prints the captured handle, the password and a credential of its own.
        var failsAtLogin = Path.Combine(_root, "login.yaml");
        File.WriteAllText(failsAtLogin, $$$"""
            name: fails-at-login
            secrets: [password, session]
            steps:
              - name: login
                request: { method: POST, url: "{{{api}}}/login", json: { password: "{{password}}" } }
                expect: { status: 201, json: { "$.handle": nope } }
                capture: { session: "$.handle" }
            """);
        var failsInCommand = Path.Combine(_root, "exec.yaml");
        File.WriteAllText(failsInCommand, $$$"""
            name: fails-in-command
            secrets: [password, session]
            steps:
              - name: login
                request: { method: POST, url: "{{{api}}}/login", json: { password: "{{password}}" } }
                expect: { status: 200 }
                capture: { session: "$.handle" }
              - name: migrate
                exec: |
                  echo "session {{session}} password {{password}}"
                  echo "DB_PASSWORD={{{ExecDbPassword}}} jwt {{{Jwt}}}" >&2
                  exit 3
                expect: { stdout: { contains: "{{password}} ok" } }
            """);

        var (run, outputs) = GroundcrewCli.ExecWritingFormats(["json", "junit", "html"], _root, "verify", null,
            "verify", failsAtLogin, failsInCommand, "--var", $"password={FlowPassword}");

        run.ExitCode.Should().Be(1, run.Stdout + run.Stderr);
        run.Stdout.Should().Contain("migrate").And.Contain("exitCode: expected == 0", "the failures themselves are still reported");
        run.Stdout.Should().Contain("\"handle\":\"****\"", "the failed login's response is shown with the secret masked");
        ShouldNotLeak(run.Stdout + run.Stderr, VerifyValues, "verify on the console");
        foreach (var (format, text) in outputs)
        {
            text.Should().Contain("migrate", format);
            ShouldNotLeak(text, VerifyValues, $"verify --output {format}=FILE");
        }
    }

    [Theory]
    [InlineData("DB_PASSWORD=hunter2hunter2", "DB_PASSWORD=****")]
    [InlineData("\"apiKey\": \"abcd1234efgh\"", "\"apiKey\": \"****\"")]
    [InlineData("REDIS_AUTH_TOKEN: s3cr3tvalue", "REDIS_AUTH_TOKEN: ****")]
    [InlineData("env: DB_PASSWORD=hunter2hunter2 x", "env: DB_PASSWORD=**** x")]
    [InlineData("run --password Sup3rS3cret --port 80", "run --password **** --port 80")]
    [InlineData("Authorization: Basic dXNlcjpQbGFudGVkQmFzaWM=", "Authorization: Basic ****")]
    [InlineData("key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY----- end", "key -----BEGIN RSA PRIVATE KEY-----**** end")]
    [InlineData("postgresql://mlflow:sudoAhvVLKh0J1XPdiqGA5OWB8oMMN@db:5432/x", "postgresql://mlflow:****@db:5432/x")]
    [InlineData("on resource: arn:aws:secretsmanager:us-east-1:1:secret:hokusai/app-secrets/development-G9l4vD", "on resource: arn:aws:secretsmanager:us-east-1:1:secret:hokusai/app-secrets/development-G9l4vD")]
    [InlineData("password authentication failed for user \"mlflow\"", "password authentication failed for user \"mlflow\"")]
    [InlineData("(secret: app-secrets)", "(secret: app-secrets)")]
    [InlineData("secretKeyRef: {name: db, key: DB_PASSWORD}", "secretKeyRef: {name: db, key: DB_PASSWORD}")]
    [InlineData("DB_PASSWORD: ${DB_PASSWORD}", "DB_PASSWORD: ${DB_PASSWORD}")]
    [InlineData("the x-api-key header is missing", "the x-api-key header is missing")]
    // STS error codes name a token; the word after them is the message (credentials.yaml, errorCodeNamePattern).
    [InlineData("InvalidIdentityToken: Couldn't retrieve verification key", "InvalidIdentityToken: Couldn't retrieve verification key")]
    [InlineData("ExpiredToken: Security token expired", "ExpiredToken: Security token expired")]
    [InlineData("IDENTITY_TOKEN: eyJhbGciOiJIUzI1 x", "IDENTITY_TOKEN: **** x")]
    [InlineData("INVALID_LOGIN_PASSWORD=hunter2hunter2 invalidToken: abcd1234efgh", "INVALID_LOGIN_PASSWORD=**** invalidToken: ****")]
    public void Patterns_mask_credentials_and_keep_evidence(string input, string expected)
    {
        Redactor.ScrubPatterns(input).Should().Be(expected);
    }

    // ScrubPatterns looks for each pattern's literal before running it: every form each literal list admits still masks,
    // in either case for the case-insensitive ones, and non-ASCII text (the Kelvin sign reads as k under (?i)) skips no pattern.
    [Theory]
    [InlineData("id AKIAABCDEFGHIJKLMNOP x", "id AKIA**** x")]
    [InlineData("id ASIAABCDEFGHIJKLMNOP x", "id ASIA**** x")]
    [InlineData("t ghp_abcdefghijklmnopqrstuvwxyz0123456789", "t ghp_****")]
    [InlineData("t gho_abcdefghijklmnopqrstuvwxyz0123456789", "t gho_****")]
    [InlineData("t ghu_abcdefghijklmnopqrstuvwxyz0123456789", "t ghu_****")]
    [InlineData("t ghs_abcdefghijklmnopqrstuvwxyz0123456789", "t ghs_****")]
    [InlineData("t ghr_abcdefghijklmnopqrstuvwxyz0123456789", "t ghr_****")]
    [InlineData("t github_pat_abcdefghijklmnopqrstuv0123", "t gith****")]
    [InlineData("t xoxb-1234567890-abcdef", "t xoxb****")]
    [InlineData("t sk_live_abcdefghijklmnop1234", "t sk_l****")]
    [InlineData("t rk_live_abcdefghijklmnop1234", "t rk_l****")]
    [InlineData("t sk-abcdefghijklmnopqrstuvwx", "t sk-a****")]
    [InlineData("t AIzaabcdefghijklmnopqrstuvwxyz012345678", "t AIza****")]
    [InlineData("t npm_abcdefghijklmnopqrstuvwxyz0123456789", "t npm_****")]
    [InlineData("t glpat-abcdefghijklmnopqrst", "t glpa****")]
    [InlineData("t eyJhbGciOiJI.eyJzdWIiOiIx.abcdefghijk", "t eyJh****")]
    [InlineData("aws_secret_access_key = abcdefghijklmnop1234", "aws_secret_access_key = ****")]
    [InlineData("\"SecretAccessKey\": \"abcdefghijklmnop1234\"", "\"SecretAccessKey\": \"****\"")]
    [InlineData("AWS_SESSION_TOKEN=abcdefghijklmnop1234", "AWS_SESSION_TOKEN=****")]
    [InlineData("SessionToken: abcdefghijklmnop1234", "SessionToken: ****")]
    [InlineData("aws_secret_access_\u212Aey = abcdefghijklmnop1234 é", "aws_secret_access_\u212Aey = **** é")]
    [InlineData("AUTHORIZATION: Bearer abcdefghijkl", "AUTHORIZATION: Bearer ****")]
    [InlineData("sent bearer abcdefghijkl", "sent bearer ****")]
    [InlineData("https://u:Sup3rS3cretPw@host/x", "https://u:****@host/x")]
    public void Each_pattern_still_masks_every_form_its_literal_search_admits(string input, string expected)
    {
        Redactor.ScrubPatterns(input).Should().Be(expected);
    }

    [Fact]
    public void A_known_value_is_masked_in_its_encoded_forms_too()
    {
        var redactor = new Redactor();
        redactor.Add("pa\"ss<word>&1");

        var json = Newtonsoft.Json.JsonConvert.SerializeObject(new { v = "x pa\"ss<word>&1 y" });
        redactor.Scrub(json).Should().NotContain("pa\\\"ss").And.Contain("****");
        redactor.Scrub(System.Security.SecurityElement.Escape("pa\"ss<word>&1")).Should().Be("****");
        redactor.Scrub("b64 " + B64("pa\"ss<word>&1")).Should().Be("b64 ****");
    }

    [Fact]
    public void Scrubbing_stays_linear_on_hostile_text()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var text in new[] { new string('a', 200_000), string.Concat(Enumerable.Repeat("a:bbbb", 40_000)), string.Concat(Enumerable.Repeat("x://", 50_000)),
                     string.Concat(Enumerable.Repeat("--password ", 20_000)), string.Concat(Enumerable.Repeat("eyJaaaaaaaaa.", 20_000)) })
            Redactor.ScrubPatterns(text);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "scrubbing is linear: the quadratic version took minutes on these");
    }
}
