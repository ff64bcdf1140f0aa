using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.NestStringTokenWithoutInject;

public class NestStringTokenWithoutInjectTests
{
    private const string Id = "nest-string-token-without-inject";
    private const string Pkg = """{ "name": "billing", "dependencies": { "@nestjs/common": "^11.0.1", "@nestjs/core": "^11.0.1" } }""";
    private const string Ports = "export interface IBudgetRepository { save(): Promise<void>; }\nexport class BudgetRepository { }\n";

    private static string Module(string provide) => $$"""
        import { Module } from '@nestjs/common';
        export const BUDGET_REPOSITORY = Symbol('BUDGET_REPOSITORY');
        @Module({ providers: [{ provide: {{provide}}, useClass: PrismaBudgetRepository }, CreateBudgetUseCase] })
        export class BudgetsModule {}
        """;

    private static string UseCase(string parameter, string classDecorator = "@Injectable()") => $$"""
        import { Inject, Injectable } from '@nestjs/common';
        import { IBudgetRepository, BudgetRepository } from './ports';

        {{classDecorator}}
        export class CreateBudgetUseCase {
          constructor(
            {{parameter}}
          ) {}
        }
        """;

    private static IEnumerable<Finding> Run(string provide, string parameter, string classDecorator = "@Injectable()", string pkg = Pkg) =>
        Scan.Files(("billing/package.json", pkg), ("billing/src/ports.ts", Ports), ("billing/src/budgets.module.ts", Module(provide)),
            ("billing/src/create-budget.use-case.ts", UseCase(parameter, classDecorator))).Of(Id);

    [Fact]
    public void String_token_and_interface_parameter_without_inject_is_an_error_at_the_parameter()
    {
        var f = Run("'IBudgetRepository'", "private readonly budgetRepository: IBudgetRepository,").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.File.Should().Be("billing/src/create-budget.use-case.ts");
        f.Span.StartLine.Should().Be(7);
        f.Message.Should().Contain("@Inject('IBudgetRepository')").And.Contain("CreateBudgetUseCase").And.Contain("an interface");
        f.Related.Should().Contain(r => r.Span.File == "billing/src/budgets.module.ts" && r.Span.StartLine == 3)
            .And.Contain(r => r.Span.File == "billing/src/ports.ts");
    }

    [Fact]
    public void Symbol_token_named_like_the_interface_is_matched_and_the_fix_names_the_constant()
    {
        var f = Run("BUDGET_REPOSITORY", "private readonly repo: IBudgetRepository,").Should().ContainSingle().Subject;
        f.Fix.Should().Contain("@Inject(BUDGET_REPOSITORY)");
    }

    [Theory]
    [InlineData("@Inject('IBudgetRepository') private readonly repo: IBudgetRepository,")]
    [InlineData("@Inject(BUDGET_REPOSITORY) private readonly repo: IBudgetRepository,")]
    [InlineData("@InjectRepository(Budget) private readonly repo: IBudgetRepository,")]
    [InlineData("@Optional() private readonly repo: IBudgetRepository,")]
    [InlineData("private readonly repo?: IBudgetRepository,")]
    [InlineData("private readonly repo: BudgetRepository,")]
    [InlineData("private readonly repo: IBudgetRepository | null,")]
    public void Parameters_nest_can_resolve_or_that_settle_their_token_are_fine(string parameter) =>
        Run("'IBudgetRepository'", parameter).Should().BeEmpty();

    [Fact]
    public void Interface_parameters_with_no_matching_token_provider_say_nothing() =>
        Run("'PaymentGateway'", "private readonly repo: IBudgetRepository,").Should().BeEmpty();

    [Fact]
    public void Classes_nest_does_not_construct_are_not_checked() =>
        Run("'IBudgetRepository'", "private readonly repo: IBudgetRepository,", classDecorator: "").Should().BeEmpty();

    [Fact]
    public void A_class_the_app_builds_in_a_factory_is_not_constructed_by_nest()
    {
        var module = Module("'IBudgetRepository'").Replace("CreateBudgetUseCase] })",
            "{ provide: CreateBudgetUseCase, useFactory: (repo: IBudgetRepository) => new CreateBudgetUseCase(repo), inject: ['IBudgetRepository'] }] })");
        Scan.Files(("billing/package.json", Pkg), ("billing/src/ports.ts", Ports), ("billing/src/budgets.module.ts", module),
            ("billing/src/create-budget.use-case.ts", UseCase("private readonly repo: IBudgetRepository,"))).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Controllers_are_checked_like_injectables() =>
        Run("'IBudgetRepository'", "private readonly repo: IBudgetRepository,", classDecorator: "@Controller('budgets')").Should().ContainSingle();

    [Fact]
    public void Apps_that_do_not_depend_on_nest_are_not_read() =>
        Run("'IBudgetRepository'", "private readonly repo: IBudgetRepository,", pkg: """{ "name": "billing", "dependencies": { "inversify": "^6.0.0" } }""").Should().BeEmpty();

    [Fact]
    public void A_workspace_package_json_above_a_dockerfile_folder_counts()
    {
        var r = Scan.Files(("package.json", Pkg), ("apps/billing/Dockerfile", "FROM node:20\n"), ("apps/billing/src/ports.ts", Ports),
            ("apps/billing/src/budgets.module.ts", Module("'IBudgetRepository'")),
            ("apps/billing/src/create-budget.use-case.ts", UseCase("private readonly repo: IBudgetRepository,")));
        r.Of(Id).Should().ContainSingle().Which.Span.File.Should().Be("apps/billing/src/create-budget.use-case.ts");
    }
}
