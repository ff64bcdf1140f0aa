using System.Text;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Diagnose;
using Groundcrew.Diagnose.Input;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

/// <summary>
/// A log larger than Limits.DiagnoseStreamAboveBytes is streamed, never held: diagnose still finds the failure at its
/// real line, and what it keeps of the input is the matched lines, not the text (docs/limits.md).
/// </summary>
public class LargeLogTests
{
    private const int Lines = 220_000;          // about 22 MB
    private const int ErrorLine = 150_001;
    private const int LongLine = 10;

    [Fact]
    public void A_log_past_the_stream_threshold_is_diagnosed_without_being_held()
    {
        var stream = new GeneratedLog(Lines, line => line switch
        {
            ErrorLine => "Error: Cannot find module '@nestjs/core'",
            LongLine => "x" + new string('y', 100_000),
            _ => $"2026-12-06T22:00:00.{line % 1000:000}Z INFO request handled path=/api/orders/{line} status=200 duration={line % 97}ms",
        });

        var read = InputReader.ReadStream("big.log", stream);

        stream.BytesServed.Should().BeGreaterThan(Limits.DiagnoseStreamAboveBytes * 2, "the whole log was read");
        var kept = read.Observations.Sum(o => (long)o.Message.Length);
        kept.Should().BeLessThan(64 * 1024, "only the lines a pattern matched are kept, not the 22 MB of text");
        read.Problems.Should().Contain(p => p.Message.Contains("longer than"), "the 100,000-character line was cut and diagnose says so");

        var report = DiagnoseRun.Run([read]);
        var match = report.Matches.Should().Contain(m => m.Signature.Id == "node-cannot-find-module").Which;
        match.Evidence.Should().Contain(e => e.Line == ErrorLine && e.Text.Contains("@nestjs/core"), "evidence names the line in the whole log");
        match.Captures["module"].Should().Be("@nestjs/core");
    }

    [Fact]
    public void A_small_input_is_still_read_whole()
    {
        var read = InputReader.ReadStream("small.log", new MemoryStream(Encoding.UTF8.GetBytes("one\nError: Cannot find module 'x'\n")));
        read.Observations.Should().Contain(o => o.Kind == ObservationKind.Log && o.Line == 1 && o.Message.StartsWith("one\n"));
    }

    /// <summary>A log produced line by line as it is read, so the test never holds it either.</summary>
    private sealed class GeneratedLog(int lines, Func<int, string> line) : Stream
    {
        private int _next = 1;
        private byte[] _pending = [];
        private int _offset;

        public long BytesServed { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_next > lines) return 0;
                _pending = Encoding.UTF8.GetBytes(line(_next++) + "\n");
                _offset = 0;
            }
            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            BytesServed += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long o, SeekOrigin s) => throw new NotSupportedException();
        public override void SetLength(long v) => throw new NotSupportedException();
        public override void Write(byte[] b, int o, int c) => throw new NotSupportedException();
    }
}
