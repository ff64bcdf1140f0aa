using System.CommandLine;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;

namespace Groundcrew.Cli.Commands;

/// <summary>
/// `groundcrew inventory`: a read-only snapshot of what the deployments depend on in the AWS account and the
/// cluster, written as versioned JSON for `check --inventory FILE` (collect once, check many times offline).
/// </summary>
public sealed class InventoryCommand : ICliCommand
{
    public Command Build()
    {
        var aws = new Option<bool>("--aws") { Description = "Collect the AWS side through the aws CLI (default: both sides when neither --aws nor --kube is given)" };
        var kube = new Option<bool>("--kube") { Description = "Collect the cluster side through kubectl" };
        var options = LiveOptions.Create();
        // The shared output options (docs/cli.md); json, the snapshot format, is the only format.
        var common = new CommonOptions(["json"]);

        var command = new Command("inventory", "Collect a read-only snapshot of the AWS account and the cluster for `check --inventory`.");
        common.AddTo(command);
        foreach (var o in new Option[] { aws, kube }) command.Options.Add(o);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var output = common.Read(parse);
            var request = options.Request(parse, parse.GetValue(aws), parse.GetValue(kube));
            var progress = output.Quiet ? null : (Action<string>)(line => Console.Error.WriteLine($"inventory: {line}"));
            var snapshot = InventoryRun.CollectAsync(request, new ProcessCommandRunner(), progress).GetAwaiter().GetResult();
            var json = snapshot.ToJson();
            output.WriteAll((_, writer, _) => writer.Write(json));
            foreach (var missing in snapshot.NotCollected)
                if (!output.Quiet) Console.Error.WriteLine($"inventory: not collected: {missing.Part}: {missing.Reason}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>
/// The live options `inventory` and `check --live` / `graph --live` share: where the account and the cluster are, and
/// whether secret key names or values may be read (never by default; a value is never kept or printed either way).
/// </summary>
public sealed class LiveOptions
{
    public Option<string?> Profile { get; } = new("--profile") { Description = "aws CLI profile (SSO, role chaining and credential processes work as for the aws CLI)" };
    public Option<string[]> Region { get; } = new("--region") { Description = "AWS region (repeatable; default: the profile's)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "AWS endpoint URL (a local emulator such as moto_server)" };
    public Option<string?> Context { get; } = new("--context") { Description = "kubectl context" };
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "kubeconfig file" };
    public Option<string[]> Namespace { get; } = new("--namespace", "-n") { Description = "Kubernetes namespace (repeatable; default: all)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> CallTimeout { get; } = new("--call-timeout") { Description = "Time limit of one aws/kubectl call, in seconds (default 60)" };
    public Option<bool> ReadSecretKeys { get; } = new("--read-secret-keys") { Description = "Read each Secrets Manager secret to record its JSON key names (never its values); needs secretsmanager:GetSecretValue" };
    public Option<bool> ReadSecretValues { get; } = new("--read-secret-values") { Description = "Read each secret to record which keys hold placeholders like <your-...> (the value is never stored or printed)" };

    public static LiveOptions Create() => new();

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Profile, Region, EndpointUrl, Context, Kubeconfig, Namespace, CallTimeout, ReadSecretKeys, ReadSecretValues }) command.Options.Add(o);
    }

    public InventoryRequest Request(ParseResult parse, bool aws, bool kube)
    {
        var both = !aws && !kube;
        TimeSpan? timeout = null;
        if (parse.GetValue(CallTimeout) is { } t)
        {
            if (!double.TryParse(t.TrimEnd('s'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                throw new UsageException($"--call-timeout must be a number of seconds, got '{t}'");
            timeout = TimeSpan.FromSeconds(seconds);
        }
        var regions = parse.GetValue(Region) ?? [];
        return new InventoryRequest(
            aws || both ? new AwsTarget(parse.GetValue(Profile), regions.FirstOrDefault(), parse.GetValue(EndpointUrl)) : null,
            regions,
            kube || both ? new ClusterTarget(parse.GetValue(Kubeconfig), parse.GetValue(Context)) : null,
            parse.GetValue(Namespace) ?? [],
            parse.GetValue(ReadSecretKeys), parse.GetValue(ReadSecretValues), timeout);
    }
}
