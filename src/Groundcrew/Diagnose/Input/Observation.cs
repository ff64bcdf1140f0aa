namespace Groundcrew.Diagnose.Input;

/// <summary>What an observation is: free text, or one structured fact Kubernetes or ECS reported.</summary>
public enum ObservationKind
{
    /// <summary>A whole log or text document; message patterns run over all of it.</summary>
    Log,
    /// <summary>A container waiting reason (CrashLoopBackOff, ImagePullBackOff, ...).</summary>
    Waiting,
    /// <summary>A container termination (OOMKilled, Error) with its exit code.</summary>
    Terminated,
    /// <summary>A Kubernetes event (FailedScheduling, Unhealthy, FailedDeployModel, ...).</summary>
    Event,
    /// <summary>A pod condition (PodScheduled=False reason Unschedulable).</summary>
    Condition,
    /// <summary>A stopped ECS task: stopCode as the reason, stoppedReason as the message.</summary>
    EcsTask,
    /// <summary>An ECS container inside a task: its reason and exit code.</summary>
    EcsContainer,
    /// <summary>An ECS service event message.</summary>
    ServiceEvent,
    /// <summary>A fact computed from counters a component logged (<see cref="CounterFacts"/>), e.g. no free pod IP.</summary>
    Counter,
}

/// <summary>
/// One fact read from the input. <see cref="Line"/> is the 1-based line in <see cref="Source"/> where the
/// fact was read, or 0 when the input has no useful lines (JSON from an API).
/// </summary>
public sealed record Observation(
    ObservationKind Kind,
    string Source,
    int Line,
    string Subject,
    string? Reason,
    int? ExitCode,
    string Message)
{
    /// <summary>
    /// For a Log whose lines were re-joined (<see cref="WrappedLines"/>): the 1-based source line each line of
    /// <see cref="Message"/> starts at. Null when the message's lines are the source's lines from <see cref="Line"/> on.
    /// </summary>
    public IReadOnlyList<int>? LineMap { get; init; }

    /// <summary>The source line of line <paramref name="index"/> (0-based) of <see cref="Message"/>.</summary>
    public int SourceLine(int index) => LineMap is { } map && index < map.Count ? map[index] : Line + index;

    /// <summary>How the fact is quoted as evidence when it is not a line of text.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Subject.Length > 0) parts.Add(Subject);
        var label = Kind switch
        {
            ObservationKind.Waiting => "waiting",
            ObservationKind.Terminated => "terminated",
            ObservationKind.Event => "event",
            ObservationKind.Condition => "condition",
            ObservationKind.EcsTask => "stopCode",
            ObservationKind.EcsContainer => "container",
            ObservationKind.ServiceEvent => "service event",
            ObservationKind.Counter => "counter",
            _ => "",
        };
        var fact = Reason is null ? label : $"{label} {Reason}";
        if (ExitCode is { } code) fact += $" (exit code {code})";
        parts.Add(fact.Trim());
        if (Message.Length > 0) parts.Add(Message);
        return string.Join(": ", parts.Where(p => p.Length > 0));
    }
}

/// <summary>One named input: a file, stdin, or the output of a live command.</summary>
public sealed record InputDocument(string Name, string Text);

/// <summary>A problem with one input that did not stop the run (named file, what was wrong).</summary>
public sealed record InputProblem(string Source, string Message);
