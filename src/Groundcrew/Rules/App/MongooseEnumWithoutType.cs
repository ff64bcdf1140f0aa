using Groundcrew.Core;
using Groundcrew.Load.AppCode;
using Groundcrew.Load.Npm;

namespace Groundcrew.Rules.App;

/// <summary>
/// A @nestjs/mongoose <c>@Prop({ enum: TaskStatus })</c> without <c>type</c>. With no explicit type, @Prop takes the schema type
/// from the TypeScript design:type metadata of the property and throws CannotDetermineTypeError when that is <c>Object</c> or
/// missing. That is certain for a property without a type annotation, typed <c>any</c>/<c>unknown</c>/<c>object</c>, with a
/// union (<c>TaskStatus | null</c>), or with an interface or type literal: an error. For a named enum type it depends on the build
/// (tsc emits String for a string enum; an enum imported in a cycle, or a compiler without type information such as SWC or esbuild,
/// emits Object or the enum object): a warning, as the incident crashed on exactly this. Array, string and number properties are fine.
/// </summary>
public sealed class MongooseEnumWithoutType : Rule
{
    public override string Title => "Mongoose @Prop with enum but no explicit type";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "CannotDetermineTypeError: Cannot determine a type for the \"ExecutionTaskDocument.status\" field (union/enum types are not supported). Make sure to specify an explicit type (e.g., `type: String`).";
    public override string Fix => "Give the property an explicit schema type: `@Prop({ type: String, enum: TaskStatus })` (Number for a numeric enum).";
    public override IReadOnlyList<string> Incidents => ["A5"];

    private static readonly HashSet<string> Fine = new(StringComparer.Ordinal) { "string", "number", "String", "Number", "boolean", "Boolean", "Date" };
    private static readonly HashSet<string> AlwaysObject = new(StringComparer.Ordinal) { "any", "unknown", "object", "Object" };

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var app in context.Model.Apps)
        {
            if (app.ContainsOtherApps || PackageJson.GoverningOf(app) is not { } pkg || !pkg.DependsOn("@nestjs/mongoose")) continue;
            var scan = app.Scan;
            if (scan.MongooseProps.Count == 0) continue;
            var interfaces = scan.Declarations.Where(d => d.Kind == "interface").Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var p in scan.MongooseProps)
            {
                if (!p.HasOptions || p.EnumExpression == null || p.TypeExpression != null) continue;
                var ts = p.TsType?.Trim();
                if (ts != null && (Fine.Contains(ts) || ts.EndsWith("[]", StringComparison.Ordinal) || ts.StartsWith("Array<", StringComparison.Ordinal)
                    || ts.StartsWith("Types.", StringComparison.Ordinal) || ts.StartsWith("mongoose.", StringComparison.Ordinal))) continue;
                var certain = ts == null || AlwaysObject.Contains(ts) || ts.Contains('|') || ts.Contains('&') || ts.StartsWith('{') || ts.StartsWith('\'') || ts.StartsWith('"')
                    || interfaces.Contains(ts);
                var why = ts == null ? "the property has no type annotation, so there is no design:type to read"
                    : certain ? $"TypeScript emits `Object` as the design:type of `{ts}`"
                    : $"the schema type is left to the design:type TypeScript emits for `{ts}`, which is not a usable constructor under every build (an enum imported in a cycle, or SWC/esbuild without type information, give Object or the enum object)";
                var message = $"@Prop of {p.ClassName}.{p.Property} sets `enum: {p.EnumExpression}` but no `type`: {why}; @nestjs/mongoose then fails at start with `CannotDetermineTypeError: Cannot determine a type for the \"{p.ClassName}.{p.Property}\" field`.";
                yield return new Finding(Id, certain ? Severity.Error : Severity.Warning, message, p.Span,
                    $"Write `@Prop({{ type: String, enum: {p.EnumExpression}, ... }})` (type: Number for a numeric enum).");
            }
        }
    }
}
