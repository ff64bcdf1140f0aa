using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// Renders a <c>data "aws_iam_policy_document"</c> (its evaluated body) to the IAM policy JSON the AWS
/// provider produces: Version, Id, Statement with Sid, Effect, Action/NotAction, Resource/NotResource,
/// Principal/NotPrincipal and Condition; a single value is written as a string, as the provider does.
/// Statements from source_policy_documents come first; a statement with the same Sid replaces an earlier
/// one; override_policy_documents replace by Sid or append. The result is a string value whose
/// <see cref="TfValue.Encoded"/> holds the policy structure with the origins of the HCL it came from;
/// when any part is unknown the string is unknown but the structure is still available.
/// </summary>
public static class IamPolicyDocument
{
    public static TfValue Render(TfValue body, SourceSpan at)
    {
        if (!body.IsKnown || body.Kind != TfKind.Map) return TfValue.Unknown("the policy document is not known", at);
        var m = body.Map;
        var policy = new List<KeyValuePair<string, TfValue>>
        {
            new("Version", m.TryGetValue("version", out var ver) && !ver.IsNull ? ver : TfValue.String("2012-10-17", at)),
        };
        if (m.TryGetValue("policy_id", out var id) && !id.IsNull) policy.Add(new("Id", id));

        var statements = new List<TfValue>();
        TfValue? unknownStatements = null;
        void AddBySid(TfValue statement)
        {
            var sid = statement.Map.TryGetValue("Sid", out var s) ? s.AsString() : null;
            if (!string.IsNullOrEmpty(sid))
            {
                var i = statements.FindIndex(x => x.Map.TryGetValue("Sid", out var o) && o.AsString() == sid);
                if (i >= 0) { statements[i] = statement; return; }
            }
            statements.Add(statement);
        }
        void FromDocuments(string key)
        {
            foreach (var doc in Documents(m, key))
            {
                if (unknownStatements != null) return;
                var decoded = doc.Encoded ?? (doc.Kind == TfKind.String ? HclFunctions.Decode(doc.Str, doc.Origin ?? at) : doc);
                if (!decoded.IsKnown || decoded.Kind != TfKind.Map) { unknownStatements = TfValue.Unknown($"{key} holds a document that is not known ({decoded.Reason})", doc.Origin ?? at); return; }
                if (!decoded.Map.TryGetValue("Statement", out var st)) continue;
                if (!st.IsKnown) { unknownStatements = st; return; }
                foreach (var s in st.Kind == TfKind.List ? st.Items : [st])
                    if (s.Kind == TfKind.Map) AddBySid(s);
            }
        }

        FromDocuments("source_policy_documents");
        FromDocuments("source_json");
        if (m.TryGetValue("statement", out var own))
        {
            if (!own.IsKnown) unknownStatements ??= own;
            else foreach (var s in own.Items) AddBySid(Statement(s));
        }
        FromDocuments("override_policy_documents");
        FromDocuments("override_json");
        policy.Add(new("Statement", unknownStatements ?? TfValue.List(statements, m.TryGetValue("statement", out var so) ? so.Origin : at)));

        var structure = TfValue.Object(policy, at);
        if (structure.FirstUnknown() is { } u) return TfValue.Unknown(u.Reason ?? "unknown", at, encoded: structure);
        return TfValue.String(structure.ToJson(), at, encoded: structure);
    }

    /// <summary>The text that stands for a part of an IAM condition key only known at apply time.</summary>
    public const string UnknownHost = "${?}";

    /// <summary>
    /// An IRSA condition key whose OIDC issuer host is only known at apply time but whose claim is written out
    /// (<c>"${replace(aws_iam_openid_connect_provider.x.url, "https://", "")}:sub"</c>, <c>"${module.eks.oidc_provider}:aud"</c>):
    /// <c>${?}:sub</c>, so the condition stays readable (the host unknown, the claim and values known). Null for anything else.
    /// </summary>
    public static string? ConditionKeyWithUnknownHost(TfValue key) =>
        !key.IsKnown && !key.IsError && string.IsNullOrEmpty(key.RefPrefix) && key.RefSuffix is ":sub" or ":aud" ? UnknownHost + key.RefSuffix : null;

    private static IEnumerable<TfValue> Documents(IReadOnlyDictionary<string, TfValue> m, string key)
    {
        if (!m.TryGetValue(key, out var v) || v.IsNull) yield break;
        if (v.Kind == TfKind.List) { foreach (var i in v.Items) if (!i.IsNull) yield return i; }
        else yield return v;
    }

    private static TfValue Statement(TfValue s)
    {
        if (s.Kind != TfKind.Map) return s;
        var m = s.Map;
        var origin = s.Origin;
        var entries = new List<KeyValuePair<string, TfValue>>();
        if (m.TryGetValue("sid", out var sid) && !(sid.Kind == TfKind.String && sid.Str.Length == 0) && !sid.IsNull) entries.Add(new("Sid", sid));
        entries.Add(new("Effect", m.TryGetValue("effect", out var effect) && !effect.IsNull ? effect : TfValue.String("Allow", origin)));
        Add(entries, "Action", m, "actions");
        Add(entries, "NotAction", m, "not_actions");
        Add(entries, "Resource", m, "resources");
        Add(entries, "NotResource", m, "not_resources");
        if (m.TryGetValue("principals", out var p)) entries.Add(new("Principal", Principals(p)));
        if (m.TryGetValue("not_principals", out var np)) entries.Add(new("NotPrincipal", Principals(np)));
        if (m.TryGetValue("condition", out var c)) entries.Add(new("Condition", Conditions(c)));
        return TfValue.Object(entries, origin);
    }

    private static void Add(List<KeyValuePair<string, TfValue>> entries, string jsonKey, IReadOnlyDictionary<string, TfValue> m, string key)
    {
        if (!m.TryGetValue(key, out var v) || v.IsNull) return;
        entries.Add(new(jsonKey, Single(v)));
    }

    /// <summary>A one-element list becomes its element, as the provider writes it.</summary>
    private static TfValue Single(TfValue v) => v.Kind == TfKind.List && v.Items.Count == 1 ? v.Items[0] : v;

    private static TfValue Principals(TfValue blocks)
    {
        if (!blocks.IsKnown) return blocks;
        var byType = new List<(string Type, List<TfValue> Ids, SourceSpan? Origin)>();
        foreach (var b in blocks.Items)
        {
            if (b.Kind != TfKind.Map) continue;
            var type = b.Map.TryGetValue("type", out var t) ? t : TfValue.Unknown("principal type missing", b.Origin);
            if (!type.IsKnown || type.AsString() is not { } ts) return TfValue.Unknown($"a principal type is not known ({type.Reason})", b.Origin);
            var ids = b.Map.TryGetValue("identifiers", out var i) ? i : TfValue.List([], b.Origin);
            if (!ids.IsKnown) return TfValue.Unknown($"principal identifiers are not known ({ids.Reason})", ids.Origin ?? b.Origin);
            var entry = byType.FindIndex(x => x.Type == ts);
            if (entry < 0) { byType.Add((ts, new List<TfValue>(), b.Origin)); entry = byType.Count - 1; }
            byType[entry].Ids.AddRange(ids.Kind == TfKind.List ? ids.Items : [ids]);
        }
        if (byType.Count == 1 && byType[0].Type == "*" && byType[0].Ids.All(i => i.AsString() == "*"))
            return TfValue.String("*", byType[0].Origin);
        return TfValue.Object(byType.Select(x => new KeyValuePair<string, TfValue>(x.Type, Single(TfValue.List(x.Ids, x.Origin)))), blocks.Origin);
    }

    private static TfValue Conditions(TfValue blocks)
    {
        if (!blocks.IsKnown) return blocks;
        var byTest = new List<(string Test, List<KeyValuePair<string, TfValue>> Vars, SourceSpan? Origin)>();
        foreach (var b in blocks.Items)
        {
            if (b.Kind != TfKind.Map) continue;
            var test = b.Map.TryGetValue("test", out var t) ? t : TfValue.Unknown("condition test missing", b.Origin);
            var variable = b.Map.TryGetValue("variable", out var v) ? v : TfValue.Unknown("condition variable missing", b.Origin);
            if (test.AsString() is not { } ts) return TfValue.Unknown($"a condition test is not known ({test.Reason})", b.Origin);
            if ((variable.AsString() ?? ConditionKeyWithUnknownHost(variable)) is not { } vs) return TfValue.Unknown($"a condition variable is not known ({variable.Reason})", b.Origin);
            var values = b.Map.TryGetValue("values", out var vals) ? vals : TfValue.List([], b.Origin);
            var entry = byTest.FindIndex(x => x.Test == ts);
            if (entry < 0) { byTest.Add((ts, new(), b.Origin)); entry = byTest.Count - 1; }
            byTest[entry].Vars.Add(new(vs, Single(values)));
        }
        return TfValue.Object(byTest.Select(x => new KeyValuePair<string, TfValue>(x.Test, TfValue.Object(x.Vars, x.Origin))), blocks.Origin);
    }
}
