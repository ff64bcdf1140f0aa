using FluentAssertions;
using Groundcrew.Load.AppCode;
using Xunit;

namespace Groundcrew.Tests.AppCode;

public class PythonExtractorTests
{
    private static List<EnvRead> Reads(string code) => PythonExtractor.Extract(code, "app/settings.py");

    [Fact]
    public void Os_environ_forms_with_lines_and_classification()
    {
        const string code = """
            import os
            from os import getenv
            DB = os.environ['DATABASE_URL']
            HOST = os.environ.get("HOST")
            PORT = int(os.environ.get('PORT', '8000'))
            KEY = os.getenv('API_KEY')
            LVL = getenv('LOG_LEVEL', 'info')
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(
            ("DATABASE_URL", true, 3), ("HOST", false, 4), ("PORT", false, 5), ("API_KEY", false, 6), ("LOG_LEVEL", false, 7));
        reads[0].Evidence.Should().Contain("KeyError");
        reads[1].Evidence.Should().Contain("None");
    }

    [Fact]
    public void Reads_inside_f_strings_count_with_their_position()
    {
        const string code = """"
            import os
            URL = f"postgresql://{os.environ['DB_USER']}:{os.getenv("DB_PASS", "")}@{HOST!r:>10}/db"
            MSG = f"""
            user {os.environ["LINE_THREE"]} {{os.environ['NOT_A_HOLE']}}
            """
            """";
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(("DB_USER", true, 2), ("DB_PASS", false, 2), ("LINE_THREE", true, 4));
        reads[0].Span.StartColumn.Should().Be(code.Split('\n')[1].IndexOf("'DB_USER'", StringComparison.Ordinal) + 1);
    }

    [Fact]
    public void Guarded_or_caught_subscripts_are_optional()
    {
        const string code = """
            import os
            if 'CPPFLAGS' in os.environ:
                cpp = os.environ['CPPFLAGS']
            try:
                width = int(os.environ['COLUMNS'])
            except (KeyError, ValueError):
                width = 80
            home = os.environ['HOME']
            """;
        Reads(code).Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(("CPPFLAGS", false, 3), ("COLUMNS", false, 5), ("HOME", true, 8));
    }

    [Theory]
    [InlineData("# os.environ['GHOST']")]
    [InlineData("s = \"os.environ['GHOST']\"")]
    [InlineData("s = '''\nos.environ['GHOST']\n'''")]
    [InlineData("os.environ['GHOST'] = 'x'")]
    [InlineData("del os.environ['GHOST']")]
    [InlineData("if 'GHOST' in os.environ: pass")]
    [InlineData("getenv('GHOST')")]
    [InlineData("os.environ.setdefault('GHOST', 'x')")]
    public void Near_misses_do_not_count(string code)
    {
        Reads(code).Should().BeEmpty();
    }

    [Fact]
    public void Pydantic_base_settings_fields()
    {
        const string code = """
            from typing import Optional
            from pydantic import Field
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class Settings(BaseSettings):
                model_config = SettingsConfigDict(env_prefix='APP_', env_file='.env')

                database_url: str
                debug: bool = False
                redis_url: str = Field(..., alias='REDIS_CONNECTION')
                workers: int = Field(default=4)
                token: str = Field(validation_alias='SERVICE_TOKEN')
                sentry_dsn: Optional[str]
                MAX: ClassVar[int] = 3

                def helper(self) -> str:
                    local: str = 'x'
                    return local

            class Other:
                not_settings: str
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(
            ("APP_DATABASE_URL", true, 8), ("APP_DEBUG", false, 9), ("REDIS_CONNECTION", true, 10), ("APP_WORKERS", false, 11),
            ("SERVICE_TOKEN", true, 12), ("APP_SENTRY_DSN", false, 13));
        reads.Should().OnlyContain(r => r.CaseInsensitive);
    }

    [Fact]
    public void Pydantic_v1_config_class_is_inherited_by_subclasses()
    {
        const string code = """
            class Base(BaseSettings):
                region: str

                class Config:
                    env_prefix = "SVC_"
                    case_sensitive = True

            class AppSettings(Base):
                queue_name: str
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.CaseInsensitive)).Should().Equal(("SVC_region", true, false), ("SVC_queue_name", true, false));
    }

    [Fact]
    public void Django_environ_and_decouple()
    {
        var reads = Reads("import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nDEBUG = env.bool('DEBUG', default=False)\nDB = env.db('DATABASE_URL')\n");
        reads.Select(r => (r.Name, r.Required)).Should().Equal(("SECRET_KEY", true), ("DEBUG", false), ("DATABASE_URL", true));
        var d = Reads("from decouple import config\nA = config('A')\nB = config('B', default='x', cast=int)\n");
        d.Select(r => (r.Name, r.Required)).Should().Equal(("A", true), ("B", false));
    }

    [Fact]
    public void Junk_never_throws()
    {
        foreach (var junk in new[] { "", "os.environ[", "os.environ['X'", "class S(BaseSettings", "class S(BaseSettings):\n", "class S(BaseSettings):\n  x: int = Field(", "'''", "os.getenv(" })
        {
            var act = () => Reads(junk);
            act.Should().NotThrow(junk);
        }
    }
}

public class CSharpExtractorTests
{
    private static List<EnvRead> Reads(string code) => CSharpExtractor.Extract(code, "Api/Program.cs");

    [Fact]
    public void Environment_and_configuration_reads()
    {
        const string code = """
            var builder = WebApplication.CreateBuilder(args);
            var a = Environment.GetEnvironmentVariable("QUEUE_URL");
            var b = Environment.GetEnvironmentVariable("REGION") ?? "us-east-1";
            var c = Environment.GetEnvironmentVariable("SECRET") ?? throw new InvalidOperationException("SECRET missing");
            var d = builder.Configuration["Jwt:Issuer"];
            var e = builder.Configuration.GetValue<int>("Cache:Size", 100);
            var f = configuration.GetValue<string>("Storage:Bucket");
            var g = builder.Configuration.GetConnectionString("Default");
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(
            ("QUEUE_URL", true, 2), ("REGION", false, 3), ("SECRET", true, 4), ("Jwt__Issuer", true, 5), ("Cache__Size", false, 6),
            ("Storage__Bucket", true, 7), ("ConnectionStrings__Default", true, 8));
        reads.Single(r => r.Name == "SECRET").Certainty.Should().Be(EnvCertainty.Explicit);
        reads.Single(r => r.Name == "QUEUE_URL").Certainty.Should().Be(EnvCertainty.Inferred);
        reads.Single(r => r.Name == "ConnectionStrings__Default").ConfigKey.Should().Be("ConnectionStrings:Default");
        reads.Single(r => r.Name == "QUEUE_URL").ConfigKey.Should().BeNull();
    }

    [Fact]
    public void Configuration_sections()
    {
        const string code = """
            var a = configuration.GetSection("Jwt")["Issuer"];
            var b = configuration.GetSection("Aws").GetValue<string>("Region", "us-east-1");
            var c = configuration.GetRequiredSection("Queue").GetSection("Orders").Value;
            var d = configuration.GetSection("Redis:Host").Value ?? "localhost";
            services.Configure<JwtOptions>(configuration.GetSection("Jwt"));
            """;
        Reads(code).Select(r => (r.Name, r.Required, r.ConfigKey, r.Span.StartLine)).Should().Equal(
            ("Jwt__Issuer", true, "Jwt:Issuer", 1), ("Aws__Region", false, "Aws:Region", 2), ("Queue__Orders", true, "Queue:Orders", 3),
            ("Redis__Host", false, "Redis:Host", 4));
    }

    [Fact]
    public void Throwing_checks_make_a_read_required()
    {
        const string code = """
            var s = Environment.GetEnvironmentVariable("TOKEN");
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("API_KEY"))) throw new Exception("API_KEY");
            """;
        var r = Reads(code).Single(x => x.Name == "API_KEY");
        r.Required.Should().BeTrue();
        r.Certainty.Should().Be(EnvCertainty.Explicit);
    }

    [Theory]
    [InlineData("// Environment.GetEnvironmentVariable(\"GHOST\")")]
    [InlineData("var s = \"Environment.GetEnvironmentVariable(\\\"GHOST\\\")\";")]
    [InlineData("var s = @\"configuration[\"\"GHOST\"\"]\";")]
    [InlineData("configuration[\"GHOST\"] = \"x\";")]
    [InlineData("var x = dictionary[\"GHOST\"];")]
    [InlineData("Environment.SetEnvironmentVariable(\"GHOST\", \"1\");")]
    public void Near_misses_do_not_count(string code)
    {
        Reads(code).Should().BeEmpty();
    }
}

public class GoExtractorTests
{
    private static List<EnvRead> Reads(string code) => GoExtractor.Extract(code, "cmd/server/main.go");

    [Fact]
    public void Getenv_and_lookupenv()
    {
        const string code = """
            package main

            func main() {
                dsn := os.Getenv("DATABASE_URL")
                port := os.Getenv("PORT")
                if port == "" {
                    port = "8080"
                }
                key := os.Getenv("API_KEY")
                if key == "" {
                    log.Fatal("API_KEY is required")
                }
                region, ok := os.LookupEnv("AWS_REGION")
                if !ok {
                    region = "us-east-1"
                }
                token, found := os.LookupEnv("TOKEN")
                if !found {
                    panic("TOKEN not set")
                }
                if os.Getenv("DEBUG") == "true" {
                }
                // os.Getenv("GHOST")
                s := "os.Getenv(\"GHOST\")"
            }
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Certainty, r.Span.StartLine)).Should().Equal(
            ("DATABASE_URL", true, EnvCertainty.Inferred, 4),
            ("PORT", false, EnvCertainty.Explicit, 5),
            ("API_KEY", true, EnvCertainty.Explicit, 9),
            ("AWS_REGION", false, EnvCertainty.Explicit, 13),
            ("TOKEN", true, EnvCertainty.Explicit, 17),
            ("DEBUG", false, EnvCertainty.Explicit, 21));
    }
}

public class DotEnvExampleTests
{
    [Fact]
    public void Keys_with_empty_values_are_required_placeholders()
    {
        var reads = DotEnvExample.Extract("# comment\nDATABASE_URL=\nPORT=3000\nexport API_KEY=\"\"\nLOG_LEVEL=info # default\n\nnot a line\n", ".env.example");
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(("DATABASE_URL", true, 2), ("PORT", false, 3), ("API_KEY", true, 4), ("LOG_LEVEL", false, 5));
        reads.Should().OnlyContain(r => !r.Evidence.Contains("3000") && !r.Evidence.Contains("info")); // never a value in the evidence
    }

    [Fact]
    public void Example_file_names()
    {
        DotEnvExample.IsExampleFile("x/.env.example").Should().BeTrue();
        DotEnvExample.IsExampleFile("x/.env.sample").Should().BeTrue();
        DotEnvExample.IsExampleFile("x/.env").Should().BeFalse(); // a real env file holds secrets; not ours to read
    }
}
