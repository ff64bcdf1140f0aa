using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Groundcrew.Core;

namespace Groundcrew.Verify.Flows;

/// <summary>Sends one step's request (repeatedly, when it polls), checks it, and captures from it.</summary>
public sealed class StepRunner(HttpClient client, HttpClient insecureClient, Redactor redactor, IPortForwarder? portForwarder = null,
    Steps.IProbeRunner? probes = null)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest response body read (<see cref="Limits.MaxResponseBodyBytes"/>; GROUNDCREW_MAX_BODY_BYTES changes it). The body is
    /// streamed into a bounded buffer: an endless or huge body fails the step as too large instead of filling memory.
    /// </summary>
    public long MaxBodyBytes { get; init; } = long.TryParse(Environment.GetEnvironmentVariable("GROUNDCREW_MAX_BODY_BYTES"), out var b) && b > 0 ? b : Limits.MaxResponseBodyBytes;

    public async Task<StepResult> RunAsync(Step step, Variables vars, IReadOnlyCollection<string> secretNames, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        SentRequest? sent = null;
        HttpResponseData? response = null;

        StepResult Result(StepStatus status, VerifyExitCode code, IReadOnlyList<AssertionResult> failures, string? message)
        {
            // A failed step shows its response, which may hold a value the flow names secret but had no chance to capture yet.
            if (status == StepStatus.Failed && response != null) LearnSecretCaptures(step, response, secretNames);
            return new(step.Name, status, code, clock.Elapsed, attempts, sent, response is { Outcome: null } ? response.Status : null,
                response?.Excerpt(), failures, message, response?.Outcome);
        }

        try
        {
            if (step.Poll is not { } poll)
            {
                attempts = 1;
                (sent, response) = await SendAsync(step, vars, null, ct);
            }
            else
            {
                var timeout = Duration.Parse(vars.Render(poll.Timeout), "poll.timeout");
                var interval = Duration.Parse(vars.Render(poll.Interval), "poll.interval");
                var deadline = DateTime.UtcNow + timeout;
                // The last answer the service gave: when the final attempt is cut off by the deadline (a slow
                // response), the step failed its condition, it did not fail to connect.
                (SentRequest Sent, HttpResponseData Response, IReadOnlyList<AssertionResult> Unmet)? lastAnswer = null;
                while (true)
                {
                    attempts++;
                    ConnectFailure? unreachable = null;
                    try { (sent, response) = await SendAsync(step, vars, deadline, ct); }
                    catch (ConnectFailure ex) { unreachable = ex; response = null; }

                    if (response != null)
                    {
                        if (poll.FailWhen is { IsEmpty: false } failWhen)
                        {
                            var failed = ExpectationEvaluator.Evaluate(failWhen, response, vars);
                            if (failed.All(a => a.Passed))
                                return Result(StepStatus.Failed, VerifyExitCode.AssertionFailed,
                                    failed.Select(a => a with { Subject = "failWhen " + a.Subject, Passed = false }).ToList(),
                                    $"stopped early: the failWhen condition held on attempt {attempts}");
                        }
                        var until = ExpectationEvaluator.Evaluate(poll.Until, response, vars);
                        if (until.All(a => a.Passed)) break;
                        lastAnswer = (sent!, response, until.Where(a => !a.Passed).ToList());
                        if (DateTime.UtcNow + interval > deadline)
                            return Result(StepStatus.Failed, VerifyExitCode.AssertionFailed, until.Where(a => !a.Passed).ToList(),
                                $"condition not met within {Duration.Format(timeout)} ({attempts} attempts); last response shown");
                    }
                    else if (DateTime.UtcNow + interval > deadline && lastAnswer is { } answered && unreachable is { NoAnswerInTime: true })
                    {
                        (sent, response) = (answered.Sent, answered.Response);
                        return Result(StepStatus.Failed, VerifyExitCode.AssertionFailed, answered.Unmet,
                            $"condition not met within {Duration.Format(timeout)} ({attempts} attempts, the last one unanswered: {unreachable!.Message}); last response shown");
                    }
                    else if (DateTime.UtcNow + interval > deadline)
                    {
                        return Result(StepStatus.Failed, VerifyExitCode.CouldNotConnect, [],
                            $"could not connect within {Duration.Format(timeout)} ({attempts} attempts): {unreachable!.Message}");
                    }
                    await Task.Delay(interval, ct);
                }
            }

            var failures = step.Expect is { } expect
                ? ExpectationEvaluator.Evaluate(expect, response!, vars).Where(a => !a.Passed).ToList()
                : [];
            if (failures.Count > 0)
                return Result(StepStatus.Failed, VerifyExitCode.AssertionFailed, failures, null);

            foreach (var capture in step.Captures)
            {
                var (value, problem) = CaptureEvaluator.Capture(capture, response!);
                if (problem != null) // a JSON null is a value (captured as null), not a failure
                    return Result(StepStatus.Failed, VerifyExitCode.AssertionFailed,
                        [new AssertionResult($"capture {capture.Name}", capture.Expression, "(absent)", false, problem)], null);
                vars.Set(capture.Name, value);
                if (secretNames.Contains(capture.Name)) redactor.Add(Variables.AsText(value));
            }
            return Result(StepStatus.Passed, VerifyExitCode.Passed, [], null);
        }
        catch (ConnectFailure ex)
        {
            return Result(StepStatus.Failed, VerifyExitCode.CouldNotConnect, [], ex.Message);
        }
        catch (StepFailure ex)
        {
            return Result(StepStatus.Failed, ex.Code, [], ex.Message);
        }
        catch (ResponseFailure ex)
        {
            // The service answered (status and headers arrived): what failed is its body, not the connection.
            return Result(StepStatus.Failed, VerifyExitCode.AssertionFailed, [], ex.Message);
        }
        catch (FlowFileException ex)
        {
            return Result(StepStatus.Failed, VerifyExitCode.UsageOrFlowError, [], ex.Message);
        }
    }

    private void LearnSecretCaptures(Step step, HttpResponseData response, IReadOnlyCollection<string> secretNames)
    {
        foreach (var capture in step.Captures.Where(c => secretNames.Contains(c.Name)))
            if (CaptureEvaluator.Capture(capture, response).Value is { } value) redactor.Add(Variables.AsText(value));
    }

    private async Task<(SentRequest, HttpResponseData)> ProbeAsync(Step step, Steps.ProbeSpec probe, Variables vars, DateTime? deadline, CancellationToken ct)
    {
        if (probes == null) throw new FlowFileException($"'{probe.Kind}' steps are not available here");
        var timeout = probe.Timeout is { } t ? Duration.Parse(vars.Render(t), $"{probe.Kind}.timeout") : DefaultRequestTimeout;
        if (deadline is { } d)
        {
            var remaining = d - DateTime.UtcNow;
            if (remaining < timeout) timeout = remaining > TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200);
        }
        return await probes.RunAsync(probe, vars, timeout, ct);
    }

    private async Task<(SentRequest, HttpResponseData)> SendAsync(Step step, Variables vars, DateTime? deadline, CancellationToken ct)
    {
        if (step.Probe is { } probe) return await ProbeAsync(step, probe, vars, deadline, ct);
        var spec = step.Request!;
        var url = vars.Render(spec.Url);
        if (spec.Query.Count > 0)
        {
            var query = string.Join("&", spec.Query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(vars.Render(q.Value))));
            url += (url.Contains('?') ? "&" : "?") + query;
        }
        if (step.Target is { } target)
        {
            if (portForwarder == null) throw new FlowFileException("this step has a kube target but port-forwarding is not available");
            var local = await portForwarder.GetLocalBaseAsync(Render(target, vars), ct);
            url = PortForwardCommand.RewriteUrl(url, local);
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new FlowFileException($"'{url}' is not an absolute http(s) URL");

        using var request = new HttpRequestMessage(new HttpMethod(spec.Method), uri);
        if (spec.Json is { } json)
            request.Content = new StringContent(FlowJson.Compact(vars.Render(json)), Encoding.UTF8, "application/json");
        else if (spec.Body is { } body)
            request.Content = new StringContent(vars.Render(body), Encoding.UTF8, "text/plain");
        else if (spec.Form is { } form)
            request.Content = new FormUrlEncodedContent(form.ToDictionary(f => f.Key, f => vars.Render(f.Value)));
        foreach (var (name, value) in spec.Headers)
        {
            var rendered = vars.Render(value);
            if (!request.Headers.TryAddWithoutValidation(name, rendered))
            {
                request.Content ??= new ByteArrayContent([]);
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(rendered);
                else
                    request.Content.Headers.TryAddWithoutValidation(name, rendered);
            }
        }

        var timeout = spec.Timeout is { } t ? Duration.Parse(vars.Render(t), "request.timeout") : DefaultRequestTimeout;
        if (deadline is { } d)
        {
            // A poll's own timeout bounds each attempt too, so a hanging endpoint cannot stretch it.
            var remaining = d - DateTime.UtcNow;
            if (remaining < timeout) timeout = remaining > TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200);
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var sent = new SentRequest(spec.Method, url);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await (spec.Insecure ? insecureClient : client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var text = await ReadBodyAsync(response, $"{spec.Method} {uri.GetLeftPart(UriPartial.Authority)}", timeout, cts.Token, ct);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in response.Headers.Concat(response.Content.Headers))
                headers[h.Key] = string.Join(", ", h.Value);
            return (sent, new HttpResponseData((int)response.StatusCode, headers, text, clock.Elapsed));
        }
        catch (HttpRequestException ex)
        {
            throw new ConnectFailure($"{spec.Method} {uri.GetLeftPart(UriPartial.Authority)}: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ConnectFailure($"{spec.Method} {uri.GetLeftPart(UriPartial.Authority)}: no response within {Duration.Format(timeout)}", noAnswerInTime: true);
        }
    }

    /// <summary>The body as text, read in chunks into a buffer of at most <see cref="MaxBodyBytes"/> bytes.</summary>
    private async Task<string> ReadBodyAsync(HttpResponseMessage response, string what, TimeSpan timeout, CancellationToken attempt, CancellationToken run)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > MaxBodyBytes)
            throw new ResponseFailure($"{what}: HTTP {(int)response.StatusCode} with a {declared:N0}-byte body, more than the {MaxBodyBytes:N0} bytes verify reads (GROUNDCREW_MAX_BODY_BYTES); not read");
        using var body = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(attempt);
            int n;
            while ((n = await stream.ReadAsync(chunk, attempt)) > 0)
            {
                if (body.Length + n > MaxBodyBytes)
                    throw new ResponseFailure($"{what}: HTTP {(int)response.StatusCode}, but the body went past {MaxBodyBytes:N0} bytes (GROUNDCREW_MAX_BODY_BYTES); the rest was not read");
                body.Write(chunk, 0, n);
            }
        }
        catch (OperationCanceledException) when (!run.IsCancellationRequested)
        {
            throw new ResponseFailure($"{what}: HTTP {(int)response.StatusCode}, but the body did not finish within {Duration.Format(timeout)} ({body.Length:N0} bytes read)");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new ResponseFailure($"{what}: HTTP {(int)response.StatusCode}, but the body broke off after {body.Length:N0} bytes: {ex.Message}");
        }
        var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"');
        Encoding encoding;
        try { encoding = charset is { Length: > 0 } ? Encoding.GetEncoding(charset) : Encoding.UTF8; }
        catch (ArgumentException) { encoding = Encoding.UTF8; }
        return encoding.GetString(body.GetBuffer(), 0, (int)body.Length);
    }

    /// <summary>The service answered, but its body could not be taken as an answer (too large, cut off, too slow).</summary>
    private sealed class ResponseFailure(string message) : Exception(message);

    private static KubeTarget Render(KubeTarget target, Variables vars) => new(
        vars.Render(target.Resource), vars.Render(target.Port),
        target.Namespace is { } ns ? vars.Render(ns) : null,
        target.Context is { } c ? vars.Render(c) : null);

    public static (HttpClient Client, HttpClient Insecure) CreateClients()
    {
        // Redirects are not followed: a 302 to a login page is exactly what a check should notice.
        HttpClient Make(bool insecure) => new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = insecure ? new() { RemoteCertificateValidationCallback = (_, _, _, _) => true } : new(),
        }) { Timeout = Timeout.InfiniteTimeSpan };
        return (Make(false), Make(true));
    }
}
