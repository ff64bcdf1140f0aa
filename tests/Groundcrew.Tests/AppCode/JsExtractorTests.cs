using FluentAssertions;
using Groundcrew.Load.AppCode;
using Xunit;

namespace Groundcrew.Tests.AppCode;

public class JsExtractorTests
{
    private static List<EnvRead> Reads(string code) => JsExtractor.Extract(code, "src/app.ts").EnvReads;

    private static EnvRead Single(string code, string name)
    {
        var reads = Reads(code).Where(r => r.Name == name).ToList();
        reads.Should().ContainSingle($"one read of {name} in: {code}");
        return reads[0];
    }

    [Fact]
    public void Dot_and_bracket_reads_with_lines()
    {
        var reads = Reads("const a = 1;\nconst url = process.env.DATABASE_URL;\nconst k = process.env['API_KEY'];\nconst t = process.env[`TOKEN`];\n");
        reads.Select(r => (r.Name, r.Span.StartLine)).Should().Equal(("DATABASE_URL", 2), ("API_KEY", 3), ("TOKEN", 4));
        reads.Should().OnlyContain(r => r.Required && r.Certainty == EnvCertainty.Inferred && r.Span.File == "src/app.ts");
        reads[0].Span.StartColumn.Should().Be(25);
    }

    [Theory]
    [InlineData("const p = process.env.PORT ?? '3000';")]
    [InlineData("const p = process.env.PORT || 3000;")]
    [InlineData("const p = Number(process.env.PORT) || 3000;")]
    [InlineData("const p = parseInt(process.env.PORT, 10) ?? 3000;")]
    [InlineData("if (process.env.PORT) listen(process.env.PORT ?? 1);")]
    [InlineData("const debug = process.env.PORT === 'true';")]
    [InlineData("const x = process.env.PORT ? 1 : 2;")]
    [InlineData("const x = process.env.PORT?.split(',');")]
    [InlineData("const { PORT = '3000' } = process.env;")]
    [InlineData("const x = typeof process.env.PORT;")]
    [InlineData("if (!process.env.PORT) { console.warn('no port'); }")]
    [InlineData("const p = opts.port ?? process.env.port ?? process.env.PORT;")]
    public void Reads_with_a_default_or_only_tested_are_optional(string code)
    {
        Reads(code).Where(r => r.Name == "PORT").Should().NotBeEmpty().And.OnlyContain(r => !r.Required);
    }

    [Theory]
    [InlineData("const s = process.env.SECRET!;")]
    [InlineData("if (!process.env.SECRET) throw new Error('SECRET is required');")]
    [InlineData("if (!process.env.SECRET) {\n  console.error('missing');\n  process.exit(1);\n}")]
    [InlineData("if (process.env.SECRET === undefined) { throw new Error('x'); }")]
    [InlineData("if (!process.env.OTHER || !process.env.SECRET) throw new Error('x');")]
    public void Reads_the_code_insists_on_are_required_explicitly(string code)
    {
        var r = Single(code, "SECRET");
        r.Required.Should().BeTrue();
        r.Certainty.Should().Be(EnvCertainty.Explicit);
    }

    [Fact]
    public void Destructuring_from_process_env()
    {
        var reads = Reads("const {\n  DB_HOST,\n  DB_PORT = '5432',\n  DB_USER: user,\n  'DB-X': y,\n  ...rest\n} = process.env;");
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(("DB_HOST", true, 2), ("DB_PORT", false, 3), ("DB_USER", true, 4));
    }

    [Fact]
    public void Aliases_of_process_env()
    {
        var reads = Reads("const env = process.env;\nconst a = env.REDIS_URL;\nconst { env: e } = x;\nfunction f(env) {}\n");
        reads.Should().ContainSingle(r => r.Name == "REDIS_URL" && r.Span.StartLine == 2);
        Reads("const { env } = process;\nconst b = env.QUEUE ?? 'q';").Should().ContainSingle(r => r.Name == "QUEUE" && !r.Required);
    }

    [Theory]
    [InlineData("// process.env.GHOST")]
    [InlineData("/* process.env.GHOST */")]
    [InlineData("const s = 'process.env.GHOST';")]
    [InlineData("const s = \"process.env.GHOST\";")]
    [InlineData("const s = `see process.env.GHOST`;")]
    [InlineData("const r = /process.env.GHOST/;")]
    [InlineData("process.env.GHOST = 'x';")]
    [InlineData("delete process.env.GHOST;")]
    [InlineData("myprocess.env.GHOST;")]
    [InlineData("process.environment.GHOST;")]
    [InlineData("const k = process.env[name];")]
    [InlineData("if ('GHOST' in process.env) {}")]
    [InlineData("process.env.hasOwnProperty('GHOST')")]
    public void Near_misses_do_not_count(string code)
    {
        Reads(code).Should().NotContain(r => r.Name == "GHOST" || r.Name == "hasOwnProperty");
    }

    [Fact]
    public void Reads_inside_template_substitutions_count()
    {
        var r = Single("const url = `redis://${process.env.REDIS_HOST}:6379`;", "REDIS_HOST");
        r.Required.Should().BeTrue();
    }

    [Fact]
    public void Nest_config_service_reads()
    {
        const string code = """
            import { ConfigService } from '@nestjs/config';
            @Injectable()
            export class Db {
              constructor(private readonly configService: ConfigService) {}
              url() {
                const a = this.configService.get<string>('DATABASE_URL');
                const b = this.configService.get<number>('POOL_SIZE', 10);
                const c = this.configService.getOrThrow('JWT_SECRET');
                const d = this.configService.get('database.host');
                const e = this.configService.get('PORT', { infer: true });
                const f = this.configService.get('REGION') ?? 'us-east-1';
                return a;
              }
            }
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(
            ("DATABASE_URL", true, 6), ("POOL_SIZE", false, 7), ("JWT_SECRET", true, 8), ("PORT", true, 10), ("REGION", false, 11));
        reads.Single(r => r.Name == "JWT_SECRET").Certainty.Should().Be(EnvCertainty.Explicit);
        reads.Single(r => r.Name == "DATABASE_URL").Certainty.Should().Be(EnvCertainty.Inferred);
    }

    [Fact]
    public void Get_calls_without_nest_config_are_not_env_reads()
    {
        Reads("import config from 'config';\nconst a = config.get('DATABASE_URL');\nconst m = map.get('KEY');").Should().BeEmpty();
    }

    [Fact]
    public void Joi_validation_schema_keys()
    {
        const string code = """
            ConfigModule.forRoot({
              validationSchema: Joi.object({
                NODE_ENV: Joi.string().valid('development', 'production').default('development'),
                DATABASE_URL: Joi.string().required(),
                LOG_LEVEL: Joi.string(),
              }),
            });
            """;
        var reads = Reads(code);
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(("NODE_ENV", false, 3), ("DATABASE_URL", true, 4));
    }

    [Fact]
    public void Zod_env_schemas()
    {
        const string code = """
            import { z } from 'zod';
            const schema = z.object({
              DATABASE_URL: z.string().url(),
              PORT: z.coerce.number().default(3000),
              SENTRY_DSN: z.string().optional(),
              nested: z.object({ a: z.string() }),
            });
            export const env = schema.parse(process.env);
            """;
        Reads(code).Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(("DATABASE_URL", true, 3), ("PORT", false, 4), ("SENTRY_DSN", false, 5));
        // A zod object that never meets process.env is not an env schema.
        Reads("const body = z.object({ USER_ID: z.string() });\nbody.parse(req.body);").Should().BeEmpty();
        var t3 = Reads("export const env = createEnv({\n  server: { DATABASE_URL: z.string(), NODE_ENV: z.enum(['a', 'b']).default('a') },\n  client: { NEXT_PUBLIC_API: z.string() },\n  runtimeEnv: process.env,\n});");
        t3.Select(r => (r.Name, r.Required)).Should().Equal(("DATABASE_URL", true), ("NODE_ENV", false), ("NEXT_PUBLIC_API", true));
    }

    [Fact]
    public void Class_validator_env_classes()
    {
        const string code = """
            enum Environment { Development = 'development', Production = 'production' }

            class EnvironmentVariables {
              @IsEnum(Environment)
              NODE_ENV: Environment;

              @IsNumber()
              @Min(0)
              @Max(65535)
              PORT: number = 3000;

              @IsString()
              @IsNotEmpty()
              DATABASE_URL: string;

              @IsOptional()
              @IsString()
              SENTRY_DSN?: string;

              @IsString()
              REDIS_HOST?: string;

              helper(): string { return process.env.HELPER_ONLY ?? ''; }
            }

            export function validate(config: Record<string, unknown>) {
              return plainToInstance(EnvironmentVariables, config);
            }

            class UserDto {
              @IsString()
              NAME: string;
            }
            """;
        var reads = Reads(code).Where(r => r.Evidence.StartsWith("env validation class")).ToList();
        reads.Select(r => (r.Name, r.Required, r.Span.StartLine)).Should().Equal(
            ("NODE_ENV", true, 5), ("PORT", false, 10), ("DATABASE_URL", true, 14), ("SENTRY_DSN", false, 18), ("REDIS_HOST", false, 21));
    }

    [Fact]
    public void Nest_providers_and_constructor_parameters()
    {
        const string code = """
            export const CACHE = Symbol('CACHE');
            @Module({
              providers: [
                { provide: 'PAYMENT_GATEWAY', useClass: StripeGateway },
                { provide: CACHE, useFactory: () => new Map() },
                UsersService,
              ],
            })
            export class AppModule {}

            @Injectable()
            export class OrdersService {
              constructor(
                @Inject('PAYMENT_GATEWAY') private readonly gateway: PaymentGateway,
                @Inject(CACHE) private cache: Map<string, string>,
                @Optional() @Inject('METRICS') metrics?: Metrics,
                private readonly users: UsersService,
                @InjectModel(Order.name) private orderModel: Model<OrderDocument>,
              ) {}
            }
            """;
        var facts = JsExtractor.Extract(code, "src/orders.ts");
        facts.Providers.Select(p => (p.Token, p.TokenIsString, p.Kind, p.Target, p.Span.StartLine)).Should().Equal(
            ("PAYMENT_GATEWAY", true, "useClass", "StripeGateway", 4), ("CACHE", false, "useFactory", null, 5));
        var ps = facts.ConstructorParameters;
        ps.Select(p => (p.ClassName, p.Name, p.InjectToken, p.InjectTokenIsString, p.IsOptional, p.Span.StartLine)).Should().Equal(
            ("OrdersService", "gateway", "PAYMENT_GATEWAY", true, false, 14),
            ("OrdersService", "cache", "CACHE", false, false, 15),
            ("OrdersService", "metrics", "METRICS", true, true, 16),
            ("OrdersService", "users", null, false, false, 17),
            ("OrdersService", "orderModel", null, false, false, 18));
        ps[1].Type.Should().Be("Map<string, string>");
        ps[4].Decorators.Should().Equal("InjectModel");
    }

    [Fact]
    public void Mongoose_props_with_and_without_type()
    {
        const string code = """
            @Schema()
            export class Order {
              @Prop({ enum: OrderStatus })
              status: OrderStatus;

              @Prop({ type: String, enum: Object.values(Currency), required: true })
              currency!: Currency;

              @Prop()
              note?: string;
            }
            """;
        var props = JsExtractor.Extract(code, "order.schema.ts").MongooseProps;
        props.Select(p => (p.ClassName, p.Property, p.TsType, p.EnumExpression, p.TypeExpression, p.Span.StartLine)).Should().Equal(
            ("Order", "status", "OrderStatus", "OrderStatus", null, 3),
            ("Order", "currency", "Currency", "Object.values(Currency)", "String", 6),
            ("Order", "note", "string", null, null, 9));
        props[2].HasOptions.Should().BeFalse();
    }

    [Fact]
    public void Javascript_language_and_junk()
    {
        JsExtractor.Extract("module.exports = { port: process.env.PORT };", "a.js", typeScript: false).EnvReads.Single().Language.Should().Be("javascript");
        foreach (var junk in new[] { "", "process", "process.", "process.env", "process.env.", "process.env[", "process.env['X'", "const {", "} = process.env", "@Prop(", "constructor(", "{ provide:", "configService.get<", "validationSchema: Joi.object({" })
        {
            var act = () => JsExtractor.Extract(junk, "x.ts");
            act.Should().NotThrow(junk);
        }
    }
}
