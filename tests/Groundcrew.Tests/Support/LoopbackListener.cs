using System.Net;
using System.Text;
using Groundcrew.Tests.Diagnose.Live;

namespace Groundcrew.Tests.Support;

/// <summary>An <see cref="HttpListener"/> started on a free port of 127.0.0.1.</summary>
internal static class LoopbackListener
{
    /// <summary>
    /// A probed free port can be taken by a parallel test before it is bound: on failure, start over on a fresh port
    /// with a fresh listener rather than reuse one whose Start failed.
    /// </summary>
    public static (HttpListener Listener, int Port) Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FakeKubeApiServer.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    /// <summary>
    /// Stops and closes <paramref name="listener"/>. On Linux, .NET's managed HttpListener removes its prefixes again on
    /// Close after Stop, and to do so looks the port's endpoint up anew, binding the port if it is not there: when a
    /// parallel test has taken the port meanwhile, a test's Dispose failed with "Address already in use". Close alone
    /// stops the listener; failing to release a port it no longer holds is not the test's failure.
    /// </summary>
    public static void Close(HttpListener listener)
    {
        try { listener.Close(); }
        catch (HttpListenerException) { }
    }

    /// <summary>Answers one request with <paramref name="body"/> (UTF-8) and closes it.</summary>
    public static void Reply(HttpListenerContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }
}
