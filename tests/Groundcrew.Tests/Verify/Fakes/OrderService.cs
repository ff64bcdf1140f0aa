using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Groundcrew.Tests.Verify.Fakes;

/// <summary>
/// A small stand-in for the A13 system (os-service, billing-service, execution-service): an order
/// creates a budget and a paid order creates an execution through a background queue, so both appear
/// only after a delay, the way they do through EventBridge and SQS. A hop can be told to fail.
/// Also serves the D7/D8 status endpoints and the B5 routes.
/// </summary>
public sealed class OrderService : IAsyncDisposable
{
    public sealed class Options
    {
        public TimeSpan BudgetDelay { get; init; } = TimeSpan.FromMilliseconds(300);
        public TimeSpan ExecutionDelay { get; init; } = TimeSpan.FromMilliseconds(300);
        /// <summary>"budget" or "execution": that asynchronous hop ends in state FAILED.</summary>
        public string? FailHop { get; init; }
        public bool DatabaseConnected { get; init; } = true;
        public string Password { get; init; } = "s3cret-pa55word";
        public string WebhookSecret { get; init; } = "whsec-0123456789abcdef";
    }

    public const string Token = "tok-9f8e7d6c5b4a39281706";

    private readonly WebApplication _app;
    private readonly Channel<(string Kind, int OrderId)> _queue = Channel.CreateUnbounded<(string, int)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Dictionary<string, object?>> _orders = new();
    private readonly ConcurrentDictionary<int, Dictionary<string, object?>> _budgets = new();
    private readonly ConcurrentDictionary<int, Dictionary<string, object?>> _executions = new();
    private readonly ConcurrentDictionary<int, Dictionary<string, object?>> _payments = new();
    private int _ids = 100;
    private Task? _worker;

    public Uri BaseUrl { get; private set; } = null!;
    public int Requests => _requests;
    private int _requests;
    /// <summary>The most orders that were waiting for their budget at the same moment: above 1 only when clients ran side by side.</summary>
    public int MostBudgetsPendingAtOnce => _mostPending;
    private int _pending, _mostPending;

    private OrderService(Options options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (ctx, next) => { Interlocked.Increment(ref _requests); await next(); });
        Map(options);
    }

    public static async Task<OrderService> StartAsync(Options? options = null)
    {
        var options1 = options ?? new Options();
        var service = new OrderService(options1);
        await service._app.StartAsync();
        service.BaseUrl = new Uri(service._app.Urls.First());
        service._worker = Task.Run(() => service.WorkAsync(options1));
        return service;
    }

    private int NextId() => Interlocked.Increment(ref _ids);

    private void Map(Options o)
    {
        var app = _app;
        bool Authorized(HttpContext ctx) => ctx.Request.Headers.Authorization.ToString() == $"Bearer {Token}";
        IResult Unauthorized() => Results.Json(new { error = "missing or wrong bearer token" }, statusCode: 401);

        app.MapPost("/auth/login", (LoginBody body) =>
            body.Password == o.Password ? Results.Ok(new { token = Token, expiresIn = 3600 })
                : Results.Json(new { error = $"wrong password for {body.User}" }, statusCode: 401));

        app.MapPost("/clients", (HttpContext ctx, Dictionary<string, object?> body) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            var id = NextId();
            return Results.Json(new { id, name = body.GetValueOrDefault("name")?.ToString() }, statusCode: 201);
        });
        app.MapPost("/vehicles", (HttpContext ctx, Dictionary<string, object?> body) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            var id = NextId();
            return Results.Json(new { id, clientId = body.GetValueOrDefault("clientId")?.ToString(), plate = body.GetValueOrDefault("plate")?.ToString() }, statusCode: 201);
        });
        app.MapPost("/orders", async (HttpContext ctx, Dictionary<string, object?> body) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            var id = NextId();
            _orders[id] = new() { ["id"] = id, ["status"] = "OPEN", ["clientId"] = body.GetValueOrDefault("clientId")?.ToString() };
            var pending = Interlocked.Increment(ref _pending);
            for (int most; (most = Volatile.Read(ref _mostPending)) < pending && Interlocked.CompareExchange(ref _mostPending, pending, most) != most;) { }
            await _queue.Writer.WriteAsync(("OrderCreated", id));
            ctx.Response.Headers.Location = $"/orders/{id}";
            return Results.Json(_orders[id], statusCode: 201);
        });
        app.MapGet("/orders/{id:int}", (HttpContext ctx, int id) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            if (!_orders.TryGetValue(id, out var order)) return Results.NotFound(new { error = "no such order" });
            return Results.Ok(new Dictionary<string, object?>(order)
            {
                ["budget"] = _budgets.Values.FirstOrDefault(b => (int)b["orderId"]! == id),
                ["execution"] = _executions.Values.FirstOrDefault(e => (int)e["orderId"]! == id),
            });
        });
        app.MapGet("/orders/{id:int}/budget", (HttpContext ctx, int id) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            var budget = _budgets.Values.FirstOrDefault(b => (int)b["orderId"]! == id);
            return budget == null ? Results.NotFound(new { error = "budget not generated yet" }) : Results.Ok(budget);
        });
        app.MapGet("/budgets/{id:int}", (HttpContext ctx, int id) =>
            !Authorized(ctx) ? Unauthorized() : _budgets.TryGetValue(id, out var b) ? Results.Ok(b) : Results.NotFound());
        app.MapPost("/budgets/{id:int}/approve", (HttpContext ctx, int id) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            if (!_budgets.TryGetValue(id, out var b)) return Results.NotFound();
            b["state"] = "APPROVED";
            _orders[(int)b["orderId"]!]["status"] = "AWAITING_PAYMENT";
            return Results.Ok(b);
        });
        app.MapPost("/payments", (HttpContext ctx, Dictionary<string, object?> body) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            var id = NextId();
            var orderId = int.Parse(body.GetValueOrDefault("orderId")?.ToString() ?? "0");
            _payments[id] = new() { ["id"] = id, ["orderId"] = orderId, ["status"] = "PENDING", ["amount"] = body.GetValueOrDefault("amount")?.ToString() };
            return Results.Json(_payments[id], statusCode: 201);
        });
        // The payment provider calls this; it signs with a shared secret instead of a bearer token.
        app.MapPost("/webhooks/payment", async (HttpContext ctx, Dictionary<string, object?> body) =>
        {
            if (ctx.Request.Headers["X-Webhook-Signature"].ToString() != o.WebhookSecret)
                return Results.Json(new { error = "bad signature" }, statusCode: 403);
            var id = int.Parse(body.GetValueOrDefault("paymentId")?.ToString() ?? "0");
            if (!_payments.TryGetValue(id, out var p)) return Results.NotFound();
            p["status"] = "PAID";
            var orderId = (int)p["orderId"]!;
            _orders[orderId]["status"] = "PAID";
            await _queue.Writer.WriteAsync(("PaymentCompleted", orderId));
            return Results.Ok(new { received = true });
        });
        app.MapGet("/orders/{id:int}/execution", (HttpContext ctx, int id) =>
        {
            if (!Authorized(ctx)) return Unauthorized();
            var e = _executions.Values.FirstOrDefault(x => (int)x["orderId"]! == id);
            return e == null ? Results.NotFound(new { error = "execution not created yet" }) : Results.Ok(e);
        });
        app.MapGet("/executions/{id:int}", (HttpContext ctx, int id) =>
            !Authorized(ctx) ? Unauthorized() : _executions.TryGetValue(id, out var e) ? Results.Ok(e) : Results.NotFound());
        app.MapPost("/executions/{id:int}/start", (HttpContext ctx, int id) => Transition(ctx, id, "QUEUED", "IN_PROGRESS"));
        app.MapPost("/executions/{id:int}/complete", (HttpContext ctx, int id) => Transition(ctx, id, "IN_PROGRESS", "COMPLETED"));

        IResult Transition(HttpContext ctx, int id, string from, string to)
        {
            if (!Authorized(ctx)) return Unauthorized();
            if (!_executions.TryGetValue(id, out var e)) return Results.NotFound();
            if ((string)e["status"]! != from) return Results.Json(new { error = $"execution is {e["status"]}, not {from}" }, statusCode: 409);
            e["status"] = to;
            if (to == "COMPLETED") _orders[(int)e["orderId"]!]["status"] = "COMPLETED";
            return Results.Ok(e);
        }

        // D7/D8: the status endpoint that must report the database, and the endpoint that uses it.
        app.MapGet("/api/status", () => Results.Ok(new { service = "stage3v3", backend = new { database_connected = o.DatabaseConnected } }));
        app.MapGet("/api/db-test", () => o.DatabaseConnected
            ? Results.Ok(new { backend_response = new { status = "success", rows = 1 } })
            : Results.Json(new { backend_response = new { status = "error", detail = "could not connect to server: Connection refused" } }, statusCode: 500));
        app.MapGet("/api/v1/health", () => Results.Ok(new { status = "ok" }));

        // B5: the routes that exist, and Express's answer for the one callers used.
        app.MapPost("/api/ai/analyze-sentiment", () => Results.Ok(new { sentiment = "positive" }));
        app.MapPost("/api/ai/start", () => Results.Ok(new { threadId = "t-1" }));
        app.MapPost("/api/orders", () => Results.Json(new { id = "o-1" }, statusCode: 201));
        app.MapFallback((HttpContext ctx) => Results.Text($"Cannot {ctx.Request.Method} {ctx.Request.Path}", "text/html", statusCode: 404));
    }

    private async Task WorkAsync(Options o)
    {
        try
        {
            await foreach (var (kind, orderId) in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                // Each message is handled on its own so a slow hop does not hold up other orders.
                _ = Task.Run(async () =>
                {
                    if (kind == "OrderCreated")
                    {
                        await Task.Delay(o.BudgetDelay, _stop.Token);
                        var id = NextId();
                        _budgets[id] = new() { ["id"] = id, ["orderId"] = orderId, ["amount"] = 480.5,
                            ["state"] = o.FailHop == "budget" ? "FAILED" : "PENDING_APPROVAL",
                            ["error"] = o.FailHop == "budget" ? "pricing table unavailable" : null };
                        Interlocked.Decrement(ref _pending);
                    }
                    else
                    {
                        await Task.Delay(o.ExecutionDelay, _stop.Token);
                        var id = NextId();
                        _executions[id] = new() { ["id"] = id, ["orderId"] = orderId, ["status"] = o.FailHop == "execution" ? "FAILED" : "QUEUED" };
                    }
                });
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_worker != null) await _worker;
    }

    public sealed record LoginBody(string User, string Password);
}
