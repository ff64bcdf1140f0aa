using FluentAssertions;
using Groundcrew.Load.AppCode;
using Xunit;

namespace Groundcrew.Tests.AppCode;

/// <summary>Token soup built from the words the extractors look for: truncated and shuffled code must never throw.</summary>
public class ExtractorFuzzTests
{
    private static readonly string[] Words =
    [
        "process", ".", "env", "X", "[", "]", "'X'", "(", ")", "{", "}", "=", "??", "||", "!", "?", ":", ";", ",", "if", "throw", "const",
        "configService", "get", "getOrThrow", "<", ">", "ConfigService", "@", "Inject", "Prop", "constructor", "provide", "useClass",
        "class", "Env", "IsString", "validationSchema", "Joi", "object", "required", "z", "parse", "createEnv", "server", "`", "${", "/",
        "os", "environ", "getenv", "BaseSettings", "Field", "alias", "\n", "    ", "try", "in", "import", "from", "def", "...",
        "Environment", "GetEnvironmentVariable", "\"X\"", "GetSection", "GetValue", "Configuration", "Value", "Getenv", "LookupEnv", ":=", "ok",
        "json", "loads", "JSON", "get_secret_value", "SecretId", "SecretString", "'SecretString'", "GetSecretValueCommand", "getSecretValue",
        "send", "promise", "GetSecretValueRequest", "GetSecretValueInput", "aws", "String", "&", "new", "await", "return", "function", "self", "this", "=>", "async", "as", "string", "?.", "let", "var", "s", "'host'",
    ];

    [Fact]
    public void Random_token_soup_never_throws()
    {
        var rng = new Random(1234);
        for (var n = 0; n < 600; n++)
        {
            var parts = new string[rng.Next(1, 80)];
            for (var k = 0; k < parts.Length; k++) parts[k] = Words[rng.Next(Words.Length)];
            var code = string.Join(rng.Next(2) == 0 ? " " : "", parts);
            var act = () =>
            {
                JsExtractor.Extract(code, "a.ts");
                PythonExtractor.Extract(code, "a.py");
                CSharpExtractor.Extract(code, "a.cs");
                GoExtractor.Extract(code, "a.go");
                DotEnvExample.Extract(code, ".env.example");
                PythonSecretFlow.Extract(code + " loads", "a.py");
                JsSecretFlow.Extract(code + " SecretId", "a.ts");
                CFamilySecretIds.Extract(code + " GetSecretValueRequest { SecretId", "a.cs", CodeDialect.CSharp);
                CFamilySecretIds.Extract(code + " GetSecretValueInput{SecretId", "a.go", CodeDialect.Go);
            };
            act.Should().NotThrow(code);
        }
    }

    [Fact]
    public void Every_prefix_of_a_real_file_is_safe()
    {
        const string code = """
            import { ConfigService } from '@nestjs/config';
            const { A, B = 'x' } = process.env;
            class EnvVars { @IsString() DATABASE_URL: string; }
            @Injectable() export class S { constructor(@Inject('T') private readonly c: ConfigService) {}
              f() { if (!process.env.K) throw new Error(`${process.env.K}`); return this.c.get<string>('P', 'd'); } }
            const schema = z.object({ Q: z.string() }); schema.parse(process.env);
            """;
        for (var len = 0; len <= code.Length; len++)
        {
            var prefix = code[..len];
            var act = () => JsExtractor.Extract(prefix, "a.ts");
            act.Should().NotThrow(prefix);
        }
    }
}
