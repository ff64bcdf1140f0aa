using System.Collections.Concurrent;
using System.Net;
using Groundcrew.Tests.Support;
using System.Security;
using System.Text;
using System.Web;
using Groundcrew.Live;
using Groundcrew.Tests.Diagnose.Live;

namespace Groundcrew.Tests.Live;

/// <summary>
/// IAM's SimulatePrincipalPolicy on 127.0.0.1, which moto does not implement. It answers the real aws CLI in IAM's
/// query protocol: a form-encoded POST (Action=SimulatePrincipalPolicy, PolicySourceArn, ActionNames.member.N,
/// ResourceArns.member.N) and the XML response botocore's service model describes (iam 2010-05-08:
/// SimulatePrincipalPolicyResponse/SimulatePrincipalPolicyResult/EvaluationResults/member with EvalActionName,
/// EvalResourceName, EvalDecision, one member per action and resource), or IAM's ErrorResponse with 403 AccessDenied
/// when <see cref="Deny"/> is set. Every request's form is recorded.
/// </summary>
public sealed class LoopbackIamSimulator : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<string, string, string, string> _decide;

    public int Port { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}";
    /// <summary>Refuse every call as IAM refuses a caller without iam:SimulatePrincipalPolicy.</summary>
    public bool Deny { get; set; }
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <param name="decide">(role ARN, action, resource ARN) to `allowed`, `implicitDeny` or `explicitDeny`.</param>
    public LoopbackIamSimulator(Func<string, string, string, string> decide)
    {
        _decide = decide;
        (_listener, Port) = LoopbackListener.Start();
        _ = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Handle(context); }
            catch (Exception ex) { Reply(context, 500, Error("Receiver", "ServiceFailure", ex.Message)); }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = reader.ReadToEnd();
        var form = HttpUtility.ParseQueryString(body);
        Requests.Enqueue(body);
        if (form["Action"] != "SimulatePrincipalPolicy")
        {
            Reply(context, 400, Error("Sender", "InvalidAction", $"Could not find operation {form["Action"]} for version 2010-05-08"));
            return;
        }
        var role = form["PolicySourceArn"] ?? "";
        if (Deny)
        {
            Reply(context, 403, Error("Sender", "AccessDenied",
                $"User: arn:aws:iam::123456789012:user/ci-readonly is not authorized to perform: iam:SimulatePrincipalPolicy on resource: {role}"));
            return;
        }
        var actions = Members(form, "ActionNames");
        var resources = Members(form, "ResourceArns");
        if (resources.Count == 0) resources.Add("*");
        var xml = new StringBuilder();
        xml.Append("<SimulatePrincipalPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>");
        foreach (var action in actions)
            foreach (var resource in resources)
                xml.Append("<member><EvalActionName>").Append(SecurityElement.Escape(action)).Append("</EvalActionName>")
                    .Append("<EvalResourceName>").Append(SecurityElement.Escape(resource)).Append("</EvalResourceName>")
                    .Append("<EvalDecision>").Append(_decide(role, action, resource)).Append("</EvalDecision>")
                    .Append("<MatchedStatements/><MissingContextValues/></member>");
        xml.Append("</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>0b1c2d3e-0000-4000-8000-000000000000</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>");
        Reply(context, 200, xml.ToString());
    }

    private static List<string> Members(System.Collections.Specialized.NameValueCollection form, string name)
    {
        var list = new List<string>();
        for (var i = 1; form[$"{name}.member.{i}"] is { } value; i++) list.Add(value);
        return list;
    }

    private static string Error(string type, string code, string message) =>
        $"<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>{type}</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>0b1c2d3e-0000-4000-8000-000000000001</RequestId></ErrorResponse>";

    private static void Reply(HttpListenerContext context, int status, string xml) => LoopbackListener.Reply(context, status, "text/xml", xml);

    public void Dispose()
    {
        LoopbackListener.Close(_listener);
    }
}

/// <summary>
/// Sends `aws iam simulate-principal-policy` to the loopback simulator (its own --endpoint-url) and every other call
/// unchanged to the runner it wraps (moto): the command line recorded is the one the aws CLI ran.
/// </summary>
internal sealed class SimulatorRoute(ICommandRunner inner, string simulatorUrl) : ICommandRunner
{
    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        if (args.Count < 2 || args[0] != "iam" || args[1] != "simulate-principal-policy") return inner.RunAsync(file, args, timeout, ct);
        var routed = args.ToList();
        var at = routed.IndexOf("--endpoint-url");
        if (at >= 0 && at + 1 < routed.Count) routed[at + 1] = simulatorUrl;
        else routed.AddRange(["--endpoint-url", simulatorUrl]);
        return inner.RunAsync(file, routed, timeout, ct);
    }
}
