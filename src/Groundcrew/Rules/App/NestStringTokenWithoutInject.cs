using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load.AppCode;
using Groundcrew.Load.Npm;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>
/// A NestJS provider registered under a string or symbol token (<c>{ provide: 'IBudgetRepository', useClass: PrismaBudgetRepository }</c>)
/// and a constructor parameter of an injectable class that wants it without saying so: no <c>@Inject('IBudgetRepository')</c> (no
/// parameter decorator at all) and a type that is an interface or type alias. TypeScript emits <c>Object</c> as the runtime type
/// of such a parameter, so Nest has nothing to look the provider up by and refuses to start.
/// Fine, and never reported: a parameter with any decorator (@Inject, @InjectModel, @Optional...), a parameter typed with a class
/// (a class is its own token), a class Nest does not construct (no @Injectable/@Controller/@Resolver/... decorator), and a
/// parameter whose interface matches no token-registered provider of the app.
/// </summary>
public sealed partial class NestStringTokenWithoutInject : Rule
{
    public override string Title => "NestJS provider registered with a token is injected without @Inject";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "Nest can't resolve dependencies of the CreateBudgetUseCase (?, Object). Please make sure that the argument Object at index [1] is available in the BudgetsModule context.";
    public override string Fix => "Decorate the constructor parameter with @Inject(TOKEN) (from @nestjs/common), using the token the provider is registered with.";
    public override IReadOnlyList<string> Incidents => ["A4"];

    private static readonly HashSet<string> NestConstructed = new(StringComparer.Ordinal)
    {
        "Injectable", "Controller", "Resolver", "WebSocketGateway", "Processor", "Catch", "Scheduler",
    };

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*(<.*>)?$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NamedType();

    [GeneratedRegex(@"^I[A-Z]")]
    private static partial Regex InterfacePrefix();

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var app in context.Model.Apps)
        {
            if (app.ContainsOtherApps || !UsesNest(app)) continue;
            foreach (var f in CheckApp(app.Scan)) yield return f;
        }
    }

    internal static bool UsesNest(AppFolder app) =>
        PackageJson.GoverningOf(app) is { } pkg && (pkg.DependsOn("@nestjs/core") || pkg.DependsOn("@nestjs/common"));

    /// <summary>Lower-case letters and digits only, and an interface's leading I dropped: IBudgetRepository, 'BUDGET_REPOSITORY', budgetRepository all meet.</summary>
    private static string Normalize(string name, bool dropInterfacePrefix)
    {
        if (dropInterfacePrefix && InterfacePrefix().IsMatch(name)) name = name[1..];
        return new string(name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
    }

    private IEnumerable<Finding> CheckApp(AppScanResult scan)
    {
        var tokenProviders = scan.Providers.Where(p => p.Token.Length > 0).ToList();
        if (tokenProviders.Count == 0) yield break;
        var kinds = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var firstDecl = new Dictionary<string, TsDeclaration>(StringComparer.Ordinal);
        var constructed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in scan.Declarations)
        {
            if (!kinds.TryGetValue(d.Name, out var set)) kinds[d.Name] = set = [];
            set.Add(d.Kind);
            if (d.Kind is "interface" or "type") firstDecl.TryAdd(d.Name, d);
            if (d.Kind == "class" && d.Decorators.Any(NestConstructed.Contains)) constructed.Add(d.Name);
        }
        // A class registered through a factory or a value is built by the app's own code, not by Nest's injector.
        foreach (var p in scan.Providers)
            if (!p.TokenIsString && p.Kind is "useFactory" or "useValue") constructed.Remove(p.Token);
        foreach (var p in scan.ConstructorParameters)
        {
            if (p.Decorators.Count > 0 || p.IsOptional || p.Type is not { } rawType || !constructed.Contains(p.ClassName)) continue;
            var type = rawType.Trim();
            if (!NamedType().IsMatch(type)) continue; // unions, arrays, literals: not a provider lookup we can follow
            var lt = type.IndexOf('<');
            var typeName = lt >= 0 ? type[..lt] : type;
            if (typeName.Contains('.')) continue;
            var declaredKinds = kinds.GetValueOrDefault(typeName);
            if (declaredKinds != null && declaredKinds.Overlaps(["class", "enum"])) continue; // a class is its own token
            var isInterface = declaredKinds != null && declaredKinds.Overlaps(["interface", "type"]);
            // Where the type is declared outside the app (a shared package), only an exact string token named like an interface counts.
            var provider = tokenProviders.FirstOrDefault(t => t.TokenIsString && t.Token == typeName && (isInterface || InterfacePrefix().IsMatch(typeName)));
            if (provider == null && isInterface)
            {
                var wanted = Normalize(typeName, dropInterfacePrefix: true);
                provider = tokenProviders.FirstOrDefault(t => (t.TokenIsString || !kinds.ContainsKey(t.Token) || !kinds[t.Token].Contains("class"))
                    && Normalize(t.Token, dropInterfacePrefix: !t.TokenIsString) == wanted && wanted.Length > 0);
            }
            if (provider == null) continue;
            var token = provider.TokenIsString ? $"'{provider.Token}'" : provider.Token;
            var what = isInterface ? $"{typeName} is {(kinds[typeName].Contains("interface") ? "an interface" : "a type alias")}" : $"{typeName} is not a class of this app";
            var message = $"constructor parameter `{p.Name}: {type}` of {p.ClassName} has no @Inject({token}): {what}, so TypeScript emits `Object` as its runtime type and Nest cannot find the provider registered as {token} ({provider.Span.File}:{provider.Span.StartLine}); the app fails at start with `Nest can't resolve dependencies of the {p.ClassName}`.";
            var related = new List<RelatedLocation> { new(provider.Span, $"provider registered with token {token}") };
            if (firstDecl.TryGetValue(typeName, out var decl)) related.Add(new RelatedLocation(decl.Span, $"{typeName} is declared here"));
            yield return At(p.Span, message, $"Write `@Inject({token})` before the parameter (import {{ Inject }} from '@nestjs/common').", related);
        }
    }
}
