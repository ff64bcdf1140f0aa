using Groundcrew.Core;
using Groundcrew.Load.AppCode;
using Groundcrew.Load.Npm;

namespace Groundcrew.Rules.App;

/// <summary>
/// A @nestjs/mongoose <c>@Prop({ enum: TaskStatus })</c> without <c>type</c>. With no explicit type, @Prop takes the schema type
/// from the TypeScript design:type metadata of the property and throws CannotDetermineTypeError when that is <c>Object</c> or
/// missing. That is certain for a property without a type annotation, typed <c>any</c>/<c>unknown</c>/<c>object</c>, with an
/// interface or a type literal: an error. For a named enum type or a union it depends on the build (tsc emits String for a
/// string enum; a union with null under strictNullChecks, an enum imported in a cycle, or a compiler without type information
/// such as SWC or esbuild give Object or the enum object): a warning, as the incident crashed on exactly this. Properties typed
/// string/number/boolean/Date, arrays, and unions of string (or number) literals only are fine.
/// </summary>
public sealed class MongooseEnumWithoutType : Rule
{
    public override string Title => "Mongoose @Prop with enum but no explicit type";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "CannotDetermineTypeError: Cannot determine a type for the \"ExecutionTaskDocument.status\" field (union/intersection/ambiguous type was used). Make sure your property is decorated with a \"@Prop({ type: TYPE_HERE })\" decorator.";
    public override string Fix => "Give the property an explicit schema type: `@Prop({ type: String, enum: TaskStatus })` (Number for a numeric enum).";
    public override IReadOnlyList<string> Incidents => ["A5"];

    private static readonly HashSet<string> Fine = new(StringComparer.Ordinal) { "string", "number", "String", "Number", "boolean", "Boolean", "Date" };
    private static readonly HashSet<string> AlwaysObject = new(StringComparer.Ordinal) { "any", "unknown", "object", "Object" };

    /// <summary>A union of string literals only, or of number literals only (no null/undefined): TypeScript emits String or Number.</summary>
    private static bool LiteralUnion(string ts)
    {
        var parts = ts.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return false;
        bool IsString(string p) => p.Length >= 2 && (p[0] == '\'' && p[^1] == '\'' || p[0] == '"' && p[^1] == '"');
        bool IsNumber(string p) => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
        return parts.All(IsString) || parts.All(IsNumber);
    }

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
                if (ts != null && LiteralUnion(ts)) continue; // 'a' | 'b' is emitted as String, 1 | 2 as Number
                var certain = ts == null || AlwaysObject.Contains(ts) || ts.StartsWith('{') || interfaces.Contains(ts);
                var why = ts == null ? "the property has no type annotation, so there is no design:type to read"
                    : certain ? $"TypeScript emits `Object` as the design:type of `{ts}`"
                    : $"the schema type is left to the design:type TypeScript emits for `{ts}`, which is not a usable constructor under every build (a union with null under strictNullChecks, an enum imported in a cycle, or SWC/esbuild without type information give Object or the enum object)";
                var message = $"@Prop of {p.ClassName}.{p.Property} sets `enum: {p.EnumExpression}` but no `type`: {why}; @nestjs/mongoose then fails at start with `CannotDetermineTypeError: Cannot determine a type for the \"{p.ClassName}.{p.Property}\" field`.";
                yield return new Finding(Id, certain ? Severity.Error : Severity.Warning, message, p.Span,
                    $"Write `@Prop({{ type: String, enum: {p.EnumExpression}, ... }})` (type: Number for a numeric enum).");
            }
        }
    }
}
