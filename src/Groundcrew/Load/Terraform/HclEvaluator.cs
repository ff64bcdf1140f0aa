using System.Globalization;
using System.Text;
using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

/// <summary>Names bound while evaluating: for-expression variables, each, count, dynamic-block iterators, the splat element.</summary>
public sealed class EvalScope
{
    private readonly EvalScope? _parent;
    private readonly string _name;
    private readonly TfValue _value;

    private EvalScope(EvalScope? parent, string name, TfValue value)
    {
        _parent = parent;
        _name = name;
        _value = value;
    }

    public static EvalScope Bind(EvalScope? parent, string name, TfValue value) => new(parent, name, value);

    public bool TryGet(string name, out TfValue value)
    {
        for (var s = this; s != null; s = s._parent)
            if (s._name == name) { value = s._value; return true; }
        value = TfValue.NullValue;
        return false;
    }
}

/// <summary>
/// A partial evaluator for Terraform expressions in the scope of one module. Whatever Terraform itself would
/// only know at plan or apply time (computed attributes, variables without a value, data sources other than
/// aws_iam_policy_document, remote modules, unsupported functions) evaluates to <see cref="TfKind.Unknown"/>
/// with a reason, and unknown propagates: no operation turns an unknown into a guess.
/// </summary>
public sealed class HclEvaluator
{
    private const int MaxDepth = 300;
    private const int MaxModuleDepth = 8;
    private const int MaxInstances = Limits.TerraformMaxInstances;

    private static readonly HashSet<string> MetaArguments = new(StringComparer.Ordinal) { "count", "for_each", "depends_on", "provider", "providers" };
    private static readonly HashSet<string> MetaBlocks = new(StringComparer.Ordinal) { "lifecycle", "provisioner", "connection", "precondition", "postcondition" };

    public TerraformModule Module { get; }
    /// <summary>The root module this evaluation started from: the scope in which resource addresses are unique.</summary>
    public string RootModuleDirectory => _rootModuleDirectory;
    private readonly Func<string, TfValue?>? _inputs;
    private readonly int _moduleDepth;
    private readonly string _rootModuleDirectory;
    /// <summary>"" for a root module, "module.a.module.b." inside module calls: prefixed to resource addresses.</summary>
    private readonly string _addressPrefix;
    private readonly Dictionary<string, TerraformModule> _loadedModules;
    private readonly Dictionary<MemoKey, TfValue> _cache = new();
    private readonly HashSet<MemoKey> _inProgress = new();
    private readonly Dictionary<string, HclEvaluator> _children = new(StringComparer.Ordinal);
    private readonly EvaluationBudget _budget;
    private int _depth;

    /// <summary>The caps this root module's evaluation hit (steps, instances), where and why: each becomes a scan-limit-reached finding.</summary>
    public IReadOnlyList<(SourceSpan Span, string Message)> CapsReached => _budget.Hits;

    /// <summary>An evaluator for a root module (variables come from .tfvars and defaults).</summary>
    /// <param name="moduleCache">
    /// Child modules already loaded, by full directory path; share one dictionary between the root modules of a
    /// repository so that a local module called from many places is read and parsed once.
    /// </param>
    public HclEvaluator(TerraformModule module, Dictionary<string, TerraformModule>? moduleCache = null)
        : this(module, null, 0, module.Directory, moduleCache ?? new Dictionary<string, TerraformModule>(StringComparer.Ordinal), "", new EvaluationBudget()) { }

    private HclEvaluator(TerraformModule module, Func<string, TfValue?>? inputs, int moduleDepth, string rootModuleDirectory, Dictionary<string, TerraformModule> loaded, string addressPrefix,
        EvaluationBudget budget)
    {
        _budget = budget;
        _addressPrefix = addressPrefix;
        Module = module;
        _inputs = inputs;
        _moduleDepth = moduleDepth;
        _rootModuleDirectory = rootModuleDirectory;
        _loadedModules = loaded;
    }

    /// <summary>Evaluate an expression in this module.</summary>
    public TfValue Evaluate(HclExpr expr, EvalScope? scope = null)
    {
        if (!_budget.Step(expr.Span)) return TfValue.Unknown(EvaluationBudget.StepsReason, expr.Span);
        if (++_depth > MaxDepth)
        {
            _depth--;
            return TfValue.Unknown("expression nested too deeply to evaluate", expr.Span);
        }
        try { return Eval(expr, scope); }
        catch (Exception ex) when (_depth == 1 && ex is not OutOfMemoryException)
        {
            // Bad input must never crash a check: whatever slipped through becomes an unknown with the reason.
            return TfValue.Unknown($"could not evaluate: {ex.GetType().Name}: {ex.Message}", expr.Span);
        }
        finally { _depth--; }
    }

    // ---- module-level values ----

    public TfValue Variable(string name, SourceSpan? at = null) => Memo(new("var", name), at, static (ev, key, at) => ev.ComputeVariable(key.Name, at));

    private TfValue ComputeVariable(string name, SourceSpan? at)
    {
        var raw = RawVariable(name, at);
        return Module.Variables.TryGetValue(name, out var declared) && declared.Body.Attribute("type") is { } type
            ? ConvertToType(raw, type.Expression, 0)
            : raw;
    }

    /// <summary>
    /// Apply the parts of a variable's type constraint that change its value: optional() object attributes
    /// (absent -> their default or null), set() (sorted, distinct), string (numbers and bools become text).
    /// </summary>
    private TfValue ConvertToType(TfValue value, HclExpr type, int depth)
    {
        if (!value.IsKnown || value.IsNull || depth > 32) return value;
        switch (type)
        {
            case HclVariable { Name: "string" } when value.Kind is TfKind.Number or TfKind.Bool:
                return TfValue.String(value.AsString()!, value.Origin);
            case HclFunctionCall { Name: "optional", Arguments.Count: >= 1 } opt:
                return ConvertToType(value, opt.Arguments[0], depth + 1);
            case HclFunctionCall { Name: "list" or "set" or "map", Arguments.Count: 1 } coll:
            {
                var element = coll.Arguments[0];
                if (coll.Name == "map" && value.Kind == TfKind.Map)
                    return TfValue.Object(value.Map.Select(e => new KeyValuePair<string, TfValue>(e.Key, ConvertToType(e.Value, element, depth + 1))), value.Origin);
                if (value.Kind != TfKind.List) return value;
                var items = value.Items.Select(i => ConvertToType(i, element, depth + 1)).ToList();
                if (coll.Name == "set" && items.All(i => i.Kind == TfKind.String))
                    items = items.GroupBy(i => i.Str, StringComparer.Ordinal).Select(g => g.First()).OrderBy(i => i.Str, StringComparer.Ordinal).ToList();
                return TfValue.List(items, value.Origin, isSet: coll.Name == "set");
            }
            case HclFunctionCall { Name: "object", Arguments.Count: 1 } obj when obj.Arguments[0] is HclObject attrs && value.Kind == TfKind.Map:
            {
                var entries = value.Map.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
                foreach (var item in attrs.Items)
                {
                    var key = item.KeyIsIdentifier ? ((HclVariable)item.Key).Name : (item.Key as HclTemplate)?.LiteralValue;
                    if (key == null) continue;
                    if (entries.TryGetValue(key, out var present)) entries[key] = ConvertToType(present, item.Value, depth + 1);
                    else if (item.Value is HclFunctionCall { Name: "optional" } o)
                        entries[key] = o.Arguments.Count > 1 ? ConvertToType(Evaluate(o.Arguments[1]), o.Arguments[0], depth + 1) : TfValue.Null(o.Span);
                }
                return TfValue.Object(entries, value.Origin, value.IsOpen);
            }
            default:
                return value;
        }
    }

    private TfValue RawVariable(string name, SourceSpan? at)
    {
        if (!Module.Variables.TryGetValue(name, out var block))
            return TfValue.Unknown($"variable \"{name}\" is not declared in this module", at);
        if (_inputs != null)
        {
            var given = _inputs(name);
            if (given != null && !(given.IsNull && block.Body.Attribute("nullable") is { } n && Evaluate(n.Expression).AsBool() == false))
                return given;
        }
        else if (Module.VarFileValues.TryGetValue(name, out var fromFile))
        {
            return Evaluate(fromFile.Expression);
        }
        if (block.Body.Attribute("default") is { } def) return Evaluate(def.Expression);
        return _inputs != null
            ? TfValue.Unknown($"variable \"{name}\" is required by the module and the module call does not set it", at)
            : TfValue.Unknown($"variable \"{name}\" has no default and no value in terraform.tfvars or *.auto.tfvars (it is given at plan time)", at);
    }

    public TfValue Local(string name, SourceSpan? at = null) => Memo(new("local", name), at, static (ev, key, at) =>
        ev.Module.Locals.TryGetValue(key.Name, out var attr) ? ev.Evaluate(attr.Expression) : TfValue.Error($"local.{key.Name} is not defined in this module", at));

    public TfValue Output(string name, SourceSpan? at = null) => Memo(new("output", name), at, static (ev, key, at) =>
        ev.Module.Outputs.TryGetValue(key.Name, out var block) && block.Body.Attribute("value") is { } v
            ? ev.Evaluate(v.Expression)
            : TfValue.Error($"output \"{key.Name}\" is not defined in this module", at));

    /// <summary>The value of resource <c>type.name</c>: an object (or a list / map of objects with count / for_each).</summary>
    public TfValue Resource(string type, string name, SourceSpan? at = null) => Memo(new("resource", name, type), at, static (ev, key, at) =>
        ev.Module.Resources.TryGetValue(key.Type + "." + key.Name, out var block)
            ? ev.Instances(block, key.Type + "." + key.Name, null)
            : TfValue.Unknown($"resource {key.Type}.{key.Name} is not declared in this module", at));

    /// <summary>The value of data source <c>data.type.name</c>; aws_iam_policy_document gets its rendered <c>json</c>.</summary>
    public TfValue Data(string type, string name, SourceSpan? at = null) => Memo(new("data", name, type), at, static (ev, key, at) =>
        ev.Module.DataSources.TryGetValue(key.Type + "." + key.Name, out var block)
            ? ev.Instances(block, "data." + key.Type + "." + key.Name, key.Type)
            : TfValue.Unknown($"data source data.{key.Type}.{key.Name} is not declared in this module", at));

    /// <summary>
    /// Every instance of a resource (or, with <paramref name="data"/>, a data source) with its address:
    /// <c>aws_x.y</c>, <c>aws_x.y[0]</c> for count, <c>aws_x.y["key"]</c> for for_each. When the instances cannot
    /// be known (unknown count or for_each), one unknown value with the plain address.
    /// </summary>
    public IEnumerable<(string Address, TfValue Instance)> Instances(string type, string name, bool data = false)
    {
        var address = (data ? "data." : "") + type + "." + name;
        var value = data ? Data(type, name) : Resource(type, name);
        if (!value.IsKnown || value.IsOpen)
        {
            yield return (address, value);
        }
        else if (value.Kind == TfKind.List)
        {
            for (var i = 0; i < value.Items.Count; i++) yield return ($"{address}[{i}]", value.Items[i]);
        }
        else if (value.Kind == TfKind.Map)
        {
            foreach (var (key, instance) in value.Map) yield return ($"{address}[\"{key}\"]", instance);
        }
    }

    /// <summary>The outputs of module call <c>module.name</c> when its source is a local directory.</summary>
    public TfValue ModuleCall(string name, SourceSpan? at = null) => Memo(new("module", name), at, static (ev, key, at) => ev.ComputeModuleCall(key.Name, at));

    private TfValue ComputeModuleCall(string name, SourceSpan? at)
    {
        if (!Module.ModuleCalls.TryGetValue(name, out var block))
            return TfValue.Unknown($"module \"{name}\" is not declared in this module", at);
        if (block.Body.Attribute("count") != null || block.Body.Attribute("for_each") != null)
            return TfValue.Unknown($"module \"{name}\" uses count or for_each; its instances are not evaluated", at);
        var child = ChildModule(name, block, out var why);
        if (child == null) return TfValue.Unknown(why, at);
        var outputs = child.Module.Outputs.Keys.Select(o => new KeyValuePair<string, TfValue>(o, child.Output(o)));
        return TfValue.Object(outputs, block.Span);
    }

    /// <summary>The evaluator of a local child module (null, with the reason, for remote sources).</summary>
    public HclEvaluator? ChildModule(string name, HclBlock call, out string whyNot)
    {
        whyNot = "";
        if (_children.TryGetValue(name, out var existing)) return existing;
        var source = call.Body.Attribute("source") is { Expression: HclTemplate t } ? t.LiteralValue : null;
        if (source == null) { whyNot = $"module \"{name}\" has no literal source"; return null; }
        var dir = Module.LocalModuleDirectory(source);
        if (dir == null)
        {
            whyNot = source.StartsWith('.')
                ? $"module \"{name}\" source {source} is not a directory inside the scanned folder"
                : $"module \"{name}\" comes from {source}; only local (./) modules are followed, so its outputs are unknown";
            return null;
        }
        if (_moduleDepth >= MaxModuleDepth) { whyNot = $"module \"{name}\" is nested more than {MaxModuleDepth} levels deep"; return null; }
        if (!_loadedModules.TryGetValue(dir, out var module))
        {
            module = TerraformModule.Load(dir, Module.Root, readVarFiles: false);
            _loadedModules[dir] = module;
        }
        var child = new HclEvaluator(module, input =>
            MetaArguments.Contains(input) || input is "source" or "version" ? null
            : call.Body.Attribute(input) is { } a ? Evaluate(a.Expression) : null,
            _moduleDepth + 1, _rootModuleDirectory, _loadedModules, $"{_addressPrefix}module.{name}.", _budget);
        _children[name] = child;
        return child;
    }

    /// <summary>A module-level value: <c>var.x</c>, <c>local.x</c>, <c>output.x</c>, <c>module.x</c>, <c>resource.type.x</c> or <c>data.type.x</c>.</summary>
    private readonly record struct MemoKey(string Prefix, string Name, string? Type = null)
    {
        public override string ToString() => Type == null ? $"{Prefix}.{Name}" : $"{Prefix}.{Type}.{Name}";
    }

    /// <param name="compute">Static (it gets the evaluator and the key), so that a reference to a value already computed allocates nothing.</param>
    private TfValue Memo(MemoKey key, SourceSpan? at, Func<HclEvaluator, MemoKey, SourceSpan?, TfValue> compute)
    {
        if (_cache.TryGetValue(key, out var cached)) return cached;
        if (!_inProgress.Add(key)) return TfValue.Unknown($"{key} depends on itself", at);
        TfValue value;
        try { value = compute(this, key, at); }
        finally { _inProgress.Remove(key); }
        _cache[key] = value;
        return value;
    }

    private TfValue Instances(HclBlock block, string address, string? dataType)
    {
        var body = block.Body;
        if (body.Attribute("count") is { } countAttr)
        {
            var count = Evaluate(countAttr.Expression);
            if (!count.IsKnown) return TfValue.Unknown($"{address} uses count, which is not known ({count.Reason})", block.Span);
            var n = count.AsNumber();
            if (n > MaxInstances && n == decimal.Truncate(n.Value)) return _budget.TooMany(address, (int)Math.Min(n.Value, int.MaxValue), block.Span);
            if (n is null || n < 0 || n != decimal.Truncate(n.Value)) return TfValue.Unknown($"{address} has count = {count}, not a usable whole number", block.Span);
            if (!_budget.Expand((int)n)) return _budget.TooMany(address, (int)n, block.Span);
            var items = new List<TfValue>();
            for (var i = 0; i < (int)n; i++)
            {
                var scope = EvalScope.Bind(null, "count", TfValue.Object([new("index", TfValue.Num(i, countAttr.Span))], countAttr.Span));
                items.Add(Instance(block, scope, dataType).WithAddress($"{_addressPrefix}{address}[{i}]", _rootModuleDirectory));
            }
            return TfValue.List(items, block.Span);
        }
        if (body.Attribute("for_each") is { } forEachAttr)
        {
            var forEach = Evaluate(forEachAttr.Expression);
            var pairs = ForEachPairs(forEach, allowList: false);
            if (pairs == null) return TfValue.Unknown($"{address} uses for_each, which is not known ({forEach.FirstUnknown()?.Reason ?? "not a map or set of strings"})", block.Span);
            if (pairs.Count > MaxInstances || !_budget.Expand(pairs.Count)) return _budget.TooMany(address, pairs.Count, block.Span);
            var instances = new List<KeyValuePair<string, TfValue>>();
            foreach (var (key, value) in pairs)
            {
                var each = TfValue.Object([new("key", key), new("value", value)], forEachAttr.Span);
                instances.Add(new(key.Str, Instance(block, EvalScope.Bind(null, "each", each), dataType).WithAddress($"{_addressPrefix}{address}[\"{key.Str}\"]", _rootModuleDirectory)));
            }
            return TfValue.Object(instances, block.Span);
        }
        return Instance(block, null, dataType).WithAddress(_addressPrefix + address, _rootModuleDirectory);
    }

    private TfValue Instance(HclBlock block, EvalScope? scope, string? dataType)
    {
        var value = BodyValue(block.Body, scope, open: true, block.Span);
        if (dataType == "aws_iam_policy_document")
        {
            var json = IamPolicyDocument.Render(value, block.Span);
            var entries = value.Map.ToList();
            entries.Add(new("json", json));
            entries.Add(new("minified_json", json));
            return TfValue.Object(entries, block.Span, open: true);
        }
        return value;
    }

    /// <summary>
    /// A block body as an object: attributes by name, nested blocks grouped by type into lists of objects,
    /// dynamic blocks expanded when their for_each is known. Meta-arguments are left out.
    /// </summary>
    public TfValue BodyValue(HclBody body, EvalScope? scope, bool open, SourceSpan? origin = null)
    {
        if (!_budget.Step(body.Span)) return TfValue.Unknown(EvaluationBudget.StepsReason, origin ?? body.Span);
        var entries = new List<KeyValuePair<string, TfValue>>();
        foreach (var attr in body.Attributes)
        {
            if (MetaArguments.Contains(attr.Name)) continue;
            entries.Add(new(attr.Name, Evaluate(attr.Expression, scope)));
        }
        var groups = new Dictionary<string, (List<TfValue> Items, SourceSpan Span, TfValue? Unknown)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var block in body.Blocks)
        {
            if (MetaBlocks.Contains(block.Type)) continue;
            var type = block.Type == "dynamic" && block.Labels.Count == 1 ? block.Labels[0] : block.Type;
            if (!groups.TryGetValue(type, out var group))
            {
                group = (new List<TfValue>(), block.Span, null);
                order.Add(type);
            }
            if (group.Unknown == null)
            {
                if (block.Type == "dynamic" && block.Labels.Count == 1)
                {
                    var expanded = ExpandDynamic(block, scope, open);
                    if (expanded.IsKnown) group.Items.AddRange(expanded.Items);
                    else group.Unknown = expanded;
                }
                else
                {
                    group.Items.Add(BodyValue(block.Body, scope, open, block.Span));
                }
            }
            groups[type] = group;
        }
        foreach (var type in order)
        {
            var g = groups[type];
            entries.Add(new(type, g.Unknown ?? TfValue.List(g.Items, g.Span)));
        }
        return TfValue.Object(entries, origin ?? body.Span, open);
    }

    private TfValue ExpandDynamic(HclBlock block, EvalScope? scope, bool open)
    {
        var label = block.Labels[0];
        if (block.Body.Attribute("for_each") is not { } feAttr) return TfValue.Error($"dynamic \"{label}\" has no for_each", block.Span);
        var fe = Evaluate(feAttr.Expression, scope);
        var pairs = ForEachPairs(fe, allowList: true);
        if (pairs == null) return TfValue.Unknown($"dynamic \"{label}\" blocks depend on a for_each that is not known ({fe.FirstUnknown()?.Reason ?? "not a collection"})", block.Span);
        if (pairs.Count > MaxInstances || !_budget.Expand(pairs.Count)) return _budget.TooMany($"dynamic \"{label}\"", pairs.Count, block.Span);
        var iterator = block.Body.Attribute("iterator")?.Expression is HclVariable v ? v.Name : label;
        var content = block.Body.BlocksOfType("content").FirstOrDefault();
        if (content == null) return TfValue.Error($"dynamic \"{label}\" has no content block", block.Span);
        var items = new List<TfValue>();
        foreach (var (key, value) in pairs)
        {
            var it = TfValue.Object([new("key", key), new("value", value)], feAttr.Span);
            items.Add(BodyValue(content.Body, EvalScope.Bind(scope, iterator, it), open, content.Span));
        }
        return TfValue.List(items, block.Span);
    }

    /// <summary>(key, value) pairs of a for_each value, or null when they cannot be known.</summary>
    private static List<(TfValue Key, TfValue Value)>? ForEachPairs(TfValue v, bool allowList)
    {
        if (v.IsOpen) return null;
        switch (v.Kind)
        {
            case TfKind.Map:
                return v.Map.Select(e => (TfValue.String(e.Key, e.Value.Origin), e.Value)).ToList();
            case TfKind.List:
            {
                var pairs = new List<(TfValue, TfValue)>();
                for (var i = 0; i < v.Items.Count; i++)
                {
                    var item = v.Items[i];
                    if (allowList) { pairs.Add((TfValue.Num(i, item.Origin), item)); continue; }
                    if (item.Kind != TfKind.String) return null;
                    pairs.Add((item, item));
                }
                return pairs;
            }
            default:
                return null;
        }
    }

    // ---- expressions ----

    private TfValue Eval(HclExpr expr, EvalScope? scope)
    {
        switch (expr)
        {
            case HclLiteral lit:
                return lit.Kind switch
                {
                    HclLiteralKind.Null => TfValue.Null(lit.Span),
                    HclLiteralKind.Bool => TfValue.Boolean(lit.BoolValue, lit.Span),
                    _ => decimal.TryParse(lit.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                        ? TfValue.Num(n, lit.Span)
                        : TfValue.Unknown($"number {lit.Text} is out of the supported range", lit.Span),
                };
            case HclTemplate t:
                return Template(t, scope);
            case HclTuple tuple:
            {
                // A loop, not Select(i => Evaluate(i, scope)): a lambda capturing scope would allocate a closure on every Eval call.
                var items = new List<TfValue>(tuple.Items.Count);
                foreach (var item in tuple.Items) items.Add(Evaluate(item, scope));
                return TfValue.List(items, tuple.Span);
            }
            case HclObject obj:
            {
                var entries = new List<KeyValuePair<string, TfValue>>();
                foreach (var item in obj.Items)
                {
                    string key;
                    if (item.KeyIsIdentifier) key = ((HclVariable)item.Key).Name;
                    else
                    {
                        var k = Evaluate(item.Key, scope);
                        if (!k.IsKnown && IamPolicyDocument.ConditionKeyWithUnknownHost(k) is { } conditionKey) k = TfValue.String(conditionKey, k.Origin);
                        if (!k.IsKnown) return k.Propagate(obj.Span);
                        if (k.AsString() is not { } ks) return TfValue.Error("an object key must be a string", item.Key.Span);
                        key = ks;
                    }
                    entries.Add(new(key, Evaluate(item.Value, scope)));
                }
                return TfValue.Object(entries, obj.Span);
            }
            case HclParens p:
                return Evaluate(p.Inner, scope);
            case HclVariable v:
                return Root(v, scope);
            case HclGetAttr g:
                return Reference(g, scope) ?? GetAttr(Evaluate(g.Source, scope), g.Name, g.Span);
            case HclIndex ix:
                return Index(Evaluate(ix.Source, scope), Evaluate(ix.Key, scope), ix.Span);
            case HclSplatItem:
                return scope != null && scope.TryGet("\0splat", out var item0) ? item0 : TfValue.Error("splat element outside a splat", expr.Span);
            case HclSplat s:
                return Splat(s, scope);
            case HclFunctionCall call:
                return Call(call, scope);
            case HclConditional c:
                return Conditional(c, scope);
            case HclUnary u:
                return Unary(u, scope);
            case HclBinary b:
                return Binary(b, scope);
            case HclFor f:
                return For(f, scope);
            default:
                return TfValue.Unknown($"unsupported expression {expr.GetType().Name}", expr.Span);
        }
    }

    private TfValue Root(HclVariable v, EvalScope? scope)
    {
        if (scope != null && scope.TryGet(v.Name, out var bound)) return bound;
        return v.Name switch
        {
            "count" => TfValue.Unknown("count.index is only known inside a resource with count", v.Span),
            "each" => TfValue.Unknown("each is only known inside a resource with for_each", v.Span),
            "self" => TfValue.Unknown("self is only known at apply time", v.Span),
            "var" or "local" or "module" or "data" or "path" or "terraform" => TfValue.Unknown($"'{v.Name}' must be followed by an attribute", v.Span),
            _ when Module.ResourceTypes.Contains(v.Name) => TfValue.Unknown($"'{v.Name}' must be followed by a resource name", v.Span),
            _ => TfValue.Unknown($"'{v.Name}' is not a name Groundcrew knows (a resource type not declared here, or a provider-specific object)", v.Span),
        };
    }

    /// <summary>var.x, local.x, module.x, path.x, terraform.x, data.t.n, and resource references.</summary>
    private TfValue? Reference(HclGetAttr g, EvalScope? scope)
    {
        if (g.Source is HclVariable root && (scope == null || !scope.TryGet(root.Name, out _)))
        {
            switch (root.Name)
            {
                case "var": return Variable(g.Name, g.Span);
                case "local": return Local(g.Name, g.Span);
                case "module": return ModuleCall(g.Name, g.Span);
                case "path":
                    return g.Name switch
                    {
                        "module" => TfValue.String(PathModule, g.Span),
                        "root" => TfValue.String(".", g.Span),
                        // Terraform runs in the root module's directory; basename(path.cwd) is a common way to name things.
                        "cwd" => TfValue.String(Path.GetFullPath(_rootModuleDirectory).TrimEnd('/'), g.Span),
                        _ => TfValue.Unknown($"path.{g.Name} depends on where Terraform runs", g.Span),
                    };
                case "terraform": return TfValue.Unknown($"terraform.{g.Name} is only known when Terraform runs", g.Span);
                case "count" or "each" or "self": return null;
                case "data": return null;
                default:
                    if (Module.ResourceTypes.Contains(root.Name)) return Resource(root.Name, g.Name, g.Span);
                    return null;
            }
        }
        if (g.Source is HclGetAttr { Source: HclVariable { Name: "data" } } d && (scope == null || !scope.TryGet("data", out _)))
            return Data(d.Name, g.Name, g.Span);
        if (g.Source is HclGetAttr { Source: HclVariable { Name: "resource" } } r && (scope == null || !scope.TryGet("resource", out _)))
            return Resource(r.Name, g.Name, g.Span);
        return null;
    }

    /// <summary>path.module: this module's directory relative to the root module's, as Terraform gives it.</summary>
    public string PathModule
    {
        get
        {
            var rel = Path.GetRelativePath(_rootModuleDirectory, Module.Directory).Replace('\\', '/');
            return rel.Length == 0 ? "." : rel;
        }
    }

    private static TfValue GetAttr(TfValue source, string name, SourceSpan at)
    {
        switch (source.Kind)
        {
            case TfKind.Unknown:
                if (source.Ref != null && source.RefPrefix == null && source.RefSuffix == null && !source.IsError)
                    return TfValue.Reference(source.Reason ?? "unknown", $"{source.Ref}.{name}", source.Scope, at);
                return source.Encoded != null ? TfValue.Unknown(source.Reason ?? "unknown", at) : source.Propagate(at);
            case TfKind.Map:
                if (source.Map.TryGetValue(name, out var v))
                    return source.Address != null && !v.IsKnown && v.Ref == null && !v.IsError && v.Encoded == null
                        ? TfValue.Reference(v.Reason ?? "unknown", $"{source.Address}.{name}", source.Scope, v.Origin ?? at)
                        : v;
                if (source.IsOpen)
                    return source.Address != null
                        ? TfValue.Reference($"attribute \"{name}\" of {source.Address} is computed by the provider (known only after apply)", $"{source.Address}.{name}", source.Scope, at)
                        : TfValue.Unknown($"attribute \"{name}\" is computed by the provider (known only after apply)", at);
                return TfValue.Error($"the object has no attribute \"{name}\"", at);
            case TfKind.Null: return TfValue.Error($"cannot read attribute \"{name}\" of null", at);
            case TfKind.List:
                return TfValue.Error($"cannot read attribute \"{name}\" of a list (use [index] or a splat)", at);
            default:
                return TfValue.Error($"cannot read attribute \"{name}\" of a {source.Kind.ToString().ToLowerInvariant()}", at);
        }
    }

    private static TfValue Index(TfValue source, TfValue key, SourceSpan at)
    {
        if (!source.IsKnown)
        {
            if (source.Ref != null && source.RefPrefix == null && source.RefSuffix == null && !source.IsError && key.IsKnown && key.AsString() is { } k0)
                return TfValue.Reference(source.Reason ?? "unknown", key.Kind == TfKind.Number ? $"{source.Ref}[{k0}]" : $"{source.Ref}[\"{k0}\"]", source.Scope, at);
            return source.Propagate(at);
        }
        if (!key.IsKnown) return key.Propagate(at);
        switch (source.Kind)
        {
            case TfKind.List:
            {
                var n = key.AsNumber();
                if (n is null || n != decimal.Truncate(n.Value)) return TfValue.Error("a list index must be a whole number", at);
                if (n < 0 || n >= source.Items.Count) return TfValue.Error($"index {n} is out of range (the list has {source.Items.Count} elements)", at);
                return source.Items[(int)n];
            }
            case TfKind.Map:
            {
                var k = key.AsString();
                if (k == null) return TfValue.Error("a map key must be a string", at);
                if (source.Map.TryGetValue(k, out var v)) return v;
                return source.IsOpen
                    ? TfValue.Unknown($"attribute \"{k}\" is computed by the provider (known only after apply)", at)
                    : TfValue.Error($"the map has no element \"{k}\"", at);
            }
            default:
                return TfValue.Error($"cannot index a {source.Kind.ToString().ToLowerInvariant()}", at);
        }
    }

    private TfValue Splat(HclSplat s, EvalScope? scope)
    {
        var source = Evaluate(s.Source, scope);
        if (!source.IsKnown) return source.Propagate(s.Span);
        if (source.IsNull) return TfValue.List([], s.Span);
        var items = source.Kind == TfKind.List ? source.Items : [source];
        var results = new List<TfValue>(items.Count);
        foreach (var item in items)
            results.Add(Evaluate(s.Each, EvalScope.Bind(scope, "\0splat", item)));
        return TfValue.List(results, s.Span);
    }

    private TfValue Conditional(HclConditional c, EvalScope? scope)
    {
        var cond = Evaluate(c.Condition, scope);
        if (!cond.IsKnown)
        {
            var t = Evaluate(c.True, scope);
            var f = Evaluate(c.False, scope);
            return TfValue.Equal(t, f) == true ? t : TfValue.Unknown($"the condition is not known ({cond.Reason})", c.Span);
        }
        var b = cond.AsBool();
        if (b == null) return TfValue.Error("the condition is not a bool", c.Condition.Span);
        return Evaluate(b.Value ? c.True : c.False, scope);
    }

    private TfValue Unary(HclUnary u, EvalScope? scope)
    {
        var v = Evaluate(u.Operand, scope);
        if (!v.IsKnown) return v.Propagate(u.Span);
        if (u.Operator == "!")
            return v.AsBool() is { } b ? TfValue.Boolean(!b, u.Span) : TfValue.Error("'!' needs a bool", u.Span);
        return v.AsNumber() is { } n ? TfValue.Num(-n, u.Span) : TfValue.Error("'-' needs a number", u.Span);
    }

    private TfValue Binary(HclBinary b, EvalScope? scope)
    {
        var l = Evaluate(b.Left, scope);
        var r = Evaluate(b.Right, scope);
        switch (b.Operator)
        {
            case "&&":
                if (l.AsBool() == false || r.AsBool() == false) return TfValue.Boolean(false, b.Span);
                if (!l.IsKnown) return l.Propagate(b.Span);
                if (!r.IsKnown) return r.Propagate(b.Span);
                return l.AsBool() is { } la && r.AsBool() is { } ra ? TfValue.Boolean(la && ra, b.Span) : TfValue.Error("'&&' needs bools", b.Span);
            case "||":
                if (l.AsBool() == true || r.AsBool() == true) return TfValue.Boolean(true, b.Span);
                if (!l.IsKnown) return l.Propagate(b.Span);
                if (!r.IsKnown) return r.Propagate(b.Span);
                return l.AsBool() is { } lo && r.AsBool() is { } ro ? TfValue.Boolean(lo || ro, b.Span) : TfValue.Error("'||' needs bools", b.Span);
            case "==" or "!=":
            {
                var eq = ValueEquals(l, r);
                if (eq == null) return TfValue.Unknown($"the comparison involves an unknown value ({(l.FirstUnknown() ?? r.FirstUnknown())?.Reason})", b.Span);
                return TfValue.Boolean(b.Operator == "==" ? eq.Value : !eq.Value, b.Span);
            }
        }
        if (!l.IsKnown) return l.Propagate(b.Span);
        if (!r.IsKnown) return r.Propagate(b.Span);
        var x = l.AsNumber();
        var y = r.AsNumber();
        if (x == null || y == null) return TfValue.Error($"'{b.Operator}' needs numbers", b.Span);
        try
        {
            return b.Operator switch
            {
                "+" => TfValue.Num(x.Value + y.Value, b.Span),
                "-" => TfValue.Num(x.Value - y.Value, b.Span),
                "*" => TfValue.Num(x.Value * y.Value, b.Span),
                "/" => y == 0 ? TfValue.Error("division by zero", b.Span) : TfValue.Num(x.Value / y.Value, b.Span),
                "%" => y == 0 ? TfValue.Error("modulo by zero", b.Span) : TfValue.Num(x.Value % y.Value, b.Span),
                "<" => TfValue.Boolean(x < y, b.Span),
                ">" => TfValue.Boolean(x > y, b.Span),
                "<=" => TfValue.Boolean(x <= y, b.Span),
                ">=" => TfValue.Boolean(x >= y, b.Span),
                _ => TfValue.Unknown($"operator {b.Operator} is not supported", b.Span),
            };
        }
        catch (OverflowException)
        {
            return TfValue.Unknown("number out of the supported range", b.Span);
        }
    }

    /// <summary>Terraform's == : values of different types are unequal, except that unknowns make the answer unknown.</summary>
    private static bool? ValueEquals(TfValue l, TfValue r)
    {
        if (l.FirstUnknown() != null || r.FirstUnknown() != null) return null;
        return TfValue.Equal(l, r);
    }

    private TfValue For(HclFor f, EvalScope? scope)
    {
        var coll = Evaluate(f.Collection, scope);
        if (!coll.IsKnown) return coll.Propagate(f.Span);
        if (coll.IsOpen) return TfValue.Unknown("a for expression over a resource object, whose computed attributes are unknown", f.Span);
        List<(TfValue Key, TfValue Value)> pairs;
        if (coll.Kind == TfKind.List) pairs = coll.Items.Select((v, i) => (coll.IsSet ? v : TfValue.Num(i, v.Origin), v)).ToList();
        else if (coll.Kind == TfKind.Map) pairs = coll.Map.Select(e => (TfValue.String(e.Key, e.Value.Origin), e.Value)).ToList();
        else return TfValue.Error("a for expression needs a list, set or map", f.Collection.Span);

        var list = new List<TfValue>();
        var map = new List<KeyValuePair<string, TfValue>>();
        var groups = new Dictionary<string, List<TfValue>>(StringComparer.Ordinal);
        var groupOrder = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            var inner = EvalScope.Bind(scope, f.ValueVar, value);
            if (f.KeyVar != null) inner = EvalScope.Bind(inner, f.KeyVar, key);
            if (f.Condition != null)
            {
                var c = Evaluate(f.Condition, inner);
                if (!c.IsKnown) return TfValue.Unknown($"the for expression's 'if' is not known ({c.Reason})", f.Span);
                if (c.AsBool() is not { } keep) return TfValue.Error("the for expression's 'if' is not a bool", f.Condition.Span);
                if (!keep) continue;
            }
            var v = Evaluate(f.ValueExpr, inner);
            if (f.KeyExpr == null) { list.Add(v); continue; }
            var k = Evaluate(f.KeyExpr, inner);
            if (!k.IsKnown) return TfValue.Unknown($"a key of the for expression is not known ({k.Reason})", f.Span);
            if (k.AsString() is not { } ks) return TfValue.Error("a for expression key must be a string", f.KeyExpr.Span);
            if (f.Grouping)
            {
                if (!groups.TryGetValue(ks, out var g)) { groups[ks] = g = new List<TfValue>(); groupOrder.Add(ks); }
                g.Add(v);
            }
            else
            {
                if (!seen.Add(ks)) return TfValue.Error($"duplicate key \"{ks}\" in the for expression (use '...' to group)", f.Span);
                map.Add(new(ks, v));
            }
        }
        if (f.KeyExpr == null) return TfValue.List(list, f.Span);
        if (f.Grouping) return TfValue.Object(groupOrder.Select(k => new KeyValuePair<string, TfValue>(k, TfValue.List(groups[k], f.Span))), f.Span);
        return TfValue.Object(map, f.Span);
    }

    // ---- templates ----

    private TfValue Template(HclTemplate t, EvalScope? scope)
    {
        if (t.Parts.Count == 1 && t.Parts[0] is HclTemplateInterpolation only && !t.IsHeredoc)
            return Evaluate(only.Expression, scope); // "${x}" is x itself, whatever its type
        if (t.LiteralValue is { } literal) // no interpolation or directive (most strings): the text as it is
            return t.IsHeredoc ? TfValue.String(literal, t.Span).WithTextStart(new SourceSpan(t.Span.File, t.Span.StartLine + 1, 1)) : TfValue.String(literal, t.Span);
        var sb = new StringBuilder();
        var layoutKept = true;
        var failure = AppendParts(t.Parts, scope, sb, ref layoutKept);
        if (failure != null)
        {
            if (failure.IsError) return failure;
            if (ReferenceTemplate(t, scope) is { } reference) return reference;
            // "${replace(aws_iam_openid_connect_provider.x.url, "https://", "")}:sub": unknown, but its known tail is kept
            return !t.IsHeredoc && t.Parts.Count > 1 && t.Parts[^1] is HclTemplateLiteral { Text.Length: > 0 } tail
                ? TfValue.UnknownWithSuffix(failure.Reason ?? "unknown", failure.Origin, tail.Text) : failure;
        }
        var result = TfValue.String(sb.ToString(), t.Span);
        if (t.IsHeredoc && layoutKept)
            result = result.WithTextStart(new SourceSpan(t.Span.File, t.Span.StartLine + 1, 1)); // the text starts on the line after <<EOF
        return result;
    }

    /// <summary>
    /// "${aws_x.y.arn}:suffix" where everything but one reference is known: an unknown that remembers the
    /// reference and the text around it (a secret ARN with a JSON key, an ARN built from a role name).
    /// </summary>
    private TfValue? ReferenceTemplate(HclTemplate t, EvalScope? scope)
    {
        var prefix = new StringBuilder();
        var suffix = new StringBuilder();
        TfValue? reference = null;
        foreach (var part in t.Parts)
        {
            switch (part)
            {
                case HclTemplateLiteral lit:
                    (reference == null ? prefix : suffix).Append(lit.Text);
                    break;
                case HclTemplateInterpolation interp:
                {
                    var v = Evaluate(interp.Expression, scope);
                    if (!v.IsKnown)
                    {
                        if (reference != null || v.Ref == null || v.RefPrefix != null || v.RefSuffix != null || v.IsError) return null;
                        reference = v;
                        break;
                    }
                    if (v.AsString() is not { } s) return null;
                    (reference == null ? prefix : suffix).Append(s);
                    break;
                }
                default:
                    return null;
            }
        }
        return reference == null ? null
            : TfValue.Reference(reference.Reason ?? "unknown", reference.Ref!, reference.Scope, t.Span, prefix.ToString(), suffix.ToString());
    }

    /// <summary>Evaluate a parsed template file with the given variables (templatefile()).</summary>
    internal TfValue TemplateFile(HclTemplate t, TfValue vars, SourceSpan at)
    {
        EvalScope? scope = null;
        foreach (var (k, v) in vars.Map) scope = EvalScope.Bind(scope, k, v);
        var sb = new StringBuilder();
        var layoutKept = true;
        var failure = AppendParts(t.Parts, scope, sb, ref layoutKept);
        if (failure != null) return failure;
        var result = TfValue.String(sb.ToString(), at);
        return layoutKept ? result.WithTextStart(new SourceSpan(t.Span.File, 1, 1)) : result;
    }

    private TfValue? AppendParts(IReadOnlyList<HclTemplatePart> parts, EvalScope? scope, StringBuilder sb, ref bool layoutKept)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case HclTemplateLiteral lit:
                    sb.Append(lit.Text);
                    break;
                case HclTemplateInterpolation interp:
                {
                    var v = Evaluate(interp.Expression, scope);
                    if (!v.IsKnown) return v.Propagate(part.Span);
                    if (v.IsNull) return TfValue.Error("a template cannot include null", interp.Span);
                    if (v.AsString() is not { } s) return TfValue.Error($"a template cannot include a {v.Kind.ToString().ToLowerInvariant()}", interp.Span);
                    if (s.Contains('\n')) layoutKept = false;
                    sb.Append(s);
                    break;
                }
                case HclTemplateIf ifp:
                {
                    layoutKept = false;
                    var c = Evaluate(ifp.Condition, scope);
                    if (!c.IsKnown) return c.Propagate(part.Span);
                    if (c.AsBool() is not { } b) return TfValue.Error("%{if} needs a bool", ifp.Condition.Span);
                    var failure = AppendParts(b ? ifp.Then : ifp.Else, scope, sb, ref layoutKept);
                    if (failure != null) return failure;
                    break;
                }
                case HclTemplateFor forp:
                {
                    layoutKept = false;
                    var coll = Evaluate(forp.Collection, scope);
                    if (!coll.IsKnown) return coll.Propagate(part.Span);
                    IEnumerable<(TfValue, TfValue)> pairs = coll.Kind switch
                    {
                        TfKind.List => coll.Items.Select((v, i) => (TfValue.Num(i), v)),
                        TfKind.Map => coll.Map.Select(e => (TfValue.String(e.Key), e.Value)),
                        _ => [],
                    };
                    if (coll.Kind is not (TfKind.List or TfKind.Map)) return TfValue.Error("%{for} needs a collection", forp.Collection.Span);
                    foreach (var (k, v) in pairs)
                    {
                        var inner = EvalScope.Bind(scope, forp.ValueVar, v);
                        if (forp.KeyVar != null) inner = EvalScope.Bind(inner, forp.KeyVar, k);
                        var failure = AppendParts(forp.Body, inner, sb, ref layoutKept);
                        if (failure != null) return failure;
                    }
                    break;
                }
            }
        }
        return null;
    }

    // ---- functions ----

    private TfValue Call(HclFunctionCall call, EvalScope? scope)
    {
        switch (call.Name)
        {
            case "try":
            {
                foreach (var arg in call.Arguments)
                {
                    var v = Evaluate(arg, scope);
                    if (v.IsError) continue;
                    return v;
                }
                return TfValue.Error("no argument of try() could be evaluated", call.Span);
            }
            case "can":
            {
                if (call.Arguments.Count != 1) return TfValue.Error("can() takes one argument", call.Span);
                var v = Evaluate(call.Arguments[0], scope);
                if (v.IsError) return TfValue.Boolean(false, call.Span);
                return v.IsKnown ? TfValue.Boolean(true, call.Span) : v.Propagate(call.Span);
            }
        }
        var args = new List<TfValue>(call.Arguments.Count);
        foreach (var a in call.Arguments) args.Add(Evaluate(a, scope));
        if (call.ExpandFinal && args.Count > 0)
        {
            var last = args[^1];
            args.RemoveAt(args.Count - 1);
            if (!last.IsKnown) return last.Propagate(call.Span);
            if (last.Kind != TfKind.List) return TfValue.Error("'...' needs a list", call.Span);
            args.AddRange(last.Items);
        }
        return HclFunctions.Call(this, call.Name, args, call.Span);
    }

    /// <summary>For file() and templatefile(): the full path of a file, only when it lies inside the scanned root.</summary>
    internal string? ResolveFile(string path)
    {
        try
        {
            var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_rootModuleDirectory, path));
            var boundary = Path.GetFullPath(Module.Root ?? _rootModuleDirectory);
            if (!full.StartsWith(boundary.TrimEnd('/') + "/", StringComparison.Ordinal)) return null;
            return File.Exists(full) ? full : null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or IOException)
        {
            return null;
        }
    }

    /// <summary>A path as shown in spans (relative to the scanned root when known).</summary>
    internal string Shown(string fullPath)
    {
        if (Module.Root == null) return fullPath;
        var rel = Path.GetRelativePath(Module.Root, fullPath).Replace('\\', '/');
        return rel.StartsWith("..", StringComparison.Ordinal) ? fullPath : rel;
    }
}

/// <summary>
/// What one root module's evaluation may spend (<see cref="Limits.TerraformEvaluationSteps"/> evaluations, and
/// <see cref="Limits.TerraformMaxInstances"/> instances per count, for_each or dynamic block), shared with the local modules it
/// calls. Nested dynamic blocks over large collections multiply: without a budget they ran for minutes and took gigabytes.
/// Past a cap values are unknown (so nothing is reported from them) and the cap is recorded for a finding.
/// </summary>
internal sealed class EvaluationBudget
{
    public const string StepsReason = "the Terraform evaluation limit was reached (scan-limit-reached)";
    private int _steps;
    private int _instances;
    private bool _stepsReported;
    public List<(SourceSpan Span, string Message)> Hits { get; } = new();

    public bool Step(SourceSpan at)
    {
        if (++_steps <= Limits.TerraformEvaluationSteps) return true;
        _steps = Limits.TerraformEvaluationSteps + 1; // no overflow however long the caller loops
        if (!_stepsReported)
        {
            _stepsReported = true;
            Hits.Add((at, $"Terraform evaluation stopped after {Limits.TerraformEvaluationSteps:N0} steps (from here on, values of this root module are unknown and not checked)"));
        }
        return false;
    }

    /// <summary>Count <paramref name="instances"/> more blocks or resource instances; false once the root module's total would pass the cap.</summary>
    public bool Expand(int instances)
    {
        if (_instances + instances > Limits.TerraformMaxTotalInstances) return false;
        _instances += instances;
        return true;
    }

    public TfValue TooMany(string what, int count, SourceSpan at)
    {
        Hits.Add((at, count > Limits.TerraformMaxInstances
            ? $"{what} expands to {count:N0} instances, more than the {Limits.TerraformMaxInstances:N0} Groundcrew evaluates; it is left unexpanded and not checked"
            : $"{what} would take this root module past {Limits.TerraformMaxTotalInstances:N0} instances and blocks in all (nested dynamic blocks multiply); it is left unexpanded and not checked"));
        return TfValue.Unknown($"{what} expands to more than {Limits.TerraformMaxInstances} instances (scan-limit-reached)", at);
    }
}
