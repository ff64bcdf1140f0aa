using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// A NestJS provider registered with a custom token: <c>{ provide: 'X', useClass: Y }</c>.
/// <paramref name="Token"/> is the string value for string tokens, the identifier text otherwise.
/// <paramref name="Kind"/>: useClass, useValue, useFactory, useExisting (or "" when none is given).
/// </summary>
public sealed record NestProvider(string Token, bool TokenIsString, string Kind, string? Target, SourceSpan Span);

/// <summary>
/// A constructor parameter of a class: its injection token when decorated with <c>@Inject(...)</c>
/// (string value for string tokens, identifier text otherwise), its type annotation, and its decorators.
/// </summary>
public sealed record NestConstructorParameter(string ClassName, string Name, string? Type, string? InjectToken, bool InjectTokenIsString,
    IReadOnlyList<string> Decorators, bool IsOptional, SourceSpan Span);

/// <summary>
/// A Mongoose schema property: <c>@Prop({ type: String, enum: Status }) status: Status;</c>.
/// <paramref name="EnumExpression"/>/<paramref name="TypeExpression"/> are the source text of those options (null when absent).
/// </summary>
public sealed record MongooseProp(string ClassName, string Property, string? TsType, string? EnumExpression, string? TypeExpression,
    bool HasOptions, SourceSpan Span);

/// <summary>
/// A top-level-ish TypeScript declaration: <paramref name="Kind"/> is class, interface, type or enum; <paramref name="Decorators"/>
/// are the class decorators' names (<c>Injectable</c>, <c>Controller</c>...).
/// </summary>
public sealed record TsDeclaration(string Name, string Kind, IReadOnlyList<string> Decorators, SourceSpan Span);

/// <summary>Everything the JS/TS extractor finds in one file.</summary>
public sealed class JsFileFacts
{
    public List<EnvRead> EnvReads { get; } = [];
    public List<NestProvider> Providers { get; } = [];
    public List<NestConstructorParameter> ConstructorParameters { get; } = [];
    public List<MongooseProp> MongooseProps { get; } = [];
    public List<TsDeclaration> Declarations { get; } = [];
}
