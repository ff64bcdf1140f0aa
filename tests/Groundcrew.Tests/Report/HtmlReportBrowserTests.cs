using FluentAssertions;
using Groundcrew.Tests.Support;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// The HTML report of examples/ opened in Debian's chromium through Playwright (never a downloaded browser): counts,
/// filters, search, the graph's broken edges and chains, and not one request beyond the file itself.
/// </summary>
[Collection("browser")]
public sealed class HtmlReportBrowserTests : IClassFixture<HtmlReportBrowserTests.Browser>
{
    private readonly Browser _browser;

    public HtmlReportBrowserTests(Browser browser) => _browser = browser;

    /// <summary>One chromium for the class, and the examples' report with the same run's JSON to compare with.</summary>
    public sealed class Browser : IAsyncLifetime
    {
        public const string Chromium = "/usr/bin/chromium";
        private readonly TempDir _dir = new();
        public IPlaywright Playwright { get; private set; } = null!;
        public IBrowser Chrome { get; private set; } = null!;
        public string Report => Path.Combine(_dir.Path, "report.html");
        public JObject Json { get; private set; } = null!;
        public string Folder => _dir.Path;

        public async Task InitializeAsync()
        {
            File.Exists(Chromium).Should().BeTrue($"the browser tests need Debian's chromium at {Chromium} (apt-get install -y chromium; .ci/run installs it)");
            var examples = Path.Combine(Repo.Root, "examples");
            var run = GroundcrewCli.Exec("check", examples, "--format", "html", "--output", Report);
            run.ExitCode.Should().Be(1, run.Stderr);
            Json = JObject.Parse(GroundcrewCli.Exec("check", examples, "--format", "json").Stdout);
            Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Chrome = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        }

        public async Task DisposeAsync()
        {
            if (Chrome != null) await Chrome.CloseAsync();
            Playwright?.Dispose();
            _dir.Dispose();
        }

        public async Task<(IPage Page, List<string> Requests)> Open(string file, int width = 1600, int height = 1000)
        {
            var page = await Chrome.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var requests = new List<string>();
            page.Request += (_, r) => requests.Add(r.Url);
            await page.GotoAsync(new Uri(file).AbsoluteUri);
            await page.WaitForSelectorAsync("body[data-ready=true]");
            return (page, requests);
        }
    }

    private JArray Findings => (JArray)_browser.Json["findings"]!;

    [Fact]
    public async Task The_counts_match_the_run_and_every_finding_is_listed()
    {
        var (page, _) = await _browser.Open(_browser.Report);
        foreach (var sev in new[] { "error", "warning", "note" })
            (await page.TextContentAsync("#count-" + sev)).Should().Be(Findings.Count(f => (string?)f["severity"] == sev).ToString(), sev);
        (await page.Locator(".finding").CountAsync()).Should().Be(Findings.Count);
        (await page.TextContentAsync("#verdict")).Should().Be("FAILED");
        (await page.Locator("#graph .node").CountAsync()).Should().BeGreaterThan(50, "the examples' resources are drawn");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Filtering_by_a_rule_shows_only_its_findings()
    {
        var (page, _) = await _browser.Open(_browser.Report);
        const string rule = "execution-role-cannot-read-secret";
        await page.SelectOptionAsync("#rule-filter", rule);
        var visible = page.Locator(".finding:visible");
        (await visible.CountAsync()).Should().Be(Findings.Count(f => (string?)f["ruleId"] == rule)).And.BeGreaterThan(0);
        foreach (var r in await visible.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.rule)")) r.Should().Be(rule);
        (await page.TextContentAsync("#shown-count")).Should().StartWith($"{await visible.CountAsync()} of {Findings.Count}");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Searching_a_file_name_keeps_the_findings_that_mention_it()
    {
        var (page, _) = await _browser.Open(_browser.Report);
        const string file = "hokusai-auth-development.json";
        await page.FillAsync("#search", file);
        var files = await page.Locator(".finding:visible").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.file)");
        var inFile = Findings.Count(f => ((string?)f["file"])!.EndsWith(file, StringComparison.Ordinal));
        inFile.Should().BeGreaterThan(0);
        files.Count(f => f.EndsWith(file, StringComparison.Ordinal)).Should().Be(inFile, "every finding in that file is kept");
        files.Length.Should().BeLessThan(Findings.Count);
        foreach (var text in await page.Locator(".finding:visible").EvaluateAllAsync<string[]>("cards => cards.map(c => c.textContent)"))
            text.Should().Contain(file);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Clicking_the_node_of_a_red_edge_lists_its_finding()
    {
        var (page, _) = await _browser.Open(_browser.Report);
        var broken = page.Locator("path.edge.broken").First;
        (await page.Locator("path.edge.broken").CountAsync()).Should().BeGreaterThan(0, "the examples hold broken references");
        var edge = int.Parse((await broken.GetAttributeAsync("data-edge"))!);
        // The finding whose chain holds this edge, as the report's own data says.
        var found = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "e => { const f = DATA.findings.find(f => (f.edges || []).includes(e)); return [DATA.graph.edges[e].from, f.message]; }", edge);
        var from = found[0].GetInt32();
        var message = found[1].GetString()!;
        await page.ClickAsync($"#graph .node[data-node='{from}']");
        await page.WaitForSelectorAsync("#panel:not(.hidden)");
        var listed = await page.Locator("#panel-findings li").AllTextContentsAsync();
        listed.Should().Contain(t => t.Contains(message));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Clicking_a_finding_highlights_its_chain()
    {
        var (page, _) = await _browser.Open(_browser.Report);
        var index = Findings.Select((f, i) => (f, i)).First(x => (string?)x.f["ruleId"] == "irsa-trust-mismatch").i;
        await page.ClickAsync($"#finding-{index} .msg");
        (await page.GetAttributeAsync("#graph", "class")).Should().Contain("dim");
        var chain = await page.EvaluateAsync<int[]>($"DATA.findings[{index}].nodes");
        chain.Length.Should().BeGreaterThanOrEqualTo(3, "ServiceAccount -> role -> the ServiceAccount the trust names");
        (await page.Locator("#graph .node.hl").CountAsync()).Should().Be(chain.Length);
        var labels = await page.Locator("#graph .node.hl text").AllTextContentsAsync();
        labels.Should().Contain(l => l.Contains("ServiceAccount cloudmart-backend-sa")).And.Contain(l => l.Contains("aws_iam_role.cloudmart_pod"));
        (await page.Locator("#graph path.edge.broken.hl").CountAsync()).Should().BeGreaterThan(0, "the trust that names the wrong ServiceAccount is red");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Opening_the_report_makes_no_request_beyond_the_file()
    {
        var (page, requests) = await _browser.Open(_browser.Report);
        await page.ClickAsync("#graph .node >> nth=0");
        await page.SelectOptionAsync("#group-by", "namespace");
        requests.Should().Equal(new Uri(_browser.Report).AbsoluteUri);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Collapsing_a_group_hides_its_nodes_and_expanding_brings_them_back()
    {
        var (page, _) = await _browser.Open(_browser.Report);
        var before = await page.Locator("#graph .node").CountAsync();
        var title = page.Locator("#graph [data-group-title='c-hokusai']");
        var inGroup = await page.Locator("#graph [data-group='c-hokusai'] .node").CountAsync();
        inGroup.Should().BeGreaterThan(0);
        await title.ClickAsync();
        (await page.Locator("#graph .node").CountAsync()).Should().Be(before - inGroup);
        await page.ClickAsync("#graph [data-group-title='c-hokusai']");
        (await page.Locator("#graph .node").CountAsync()).Should().Be(before);
        await page.CloseAsync();
    }

    /// <summary>
    /// hokusai checked against its snapshot: the live nodes are drawn as such, counted, in the legend, and a click on one
    /// says what the account holds; a screenshot is written beside the seeds' for review.
    /// </summary>
    [Fact]
    public async Task Checked_against_a_snapshot_the_live_nodes_are_drawn_and_explained()
    {
        var hokusai = Path.Combine(Repo.Root, "examples", "c-hokusai");
        var report = Path.Combine(_browser.Folder, "c-hokusai-live.html");
        GroundcrewCli.Exec("check", hokusai, "--inventory", Path.Combine(hokusai, "inventory.json"), "--format", "html", "--output", report).ExitCode.Should().Be(1);
        var (page, requests) = await _browser.Open(report, 2000, 1000);
        var outDir = Path.Combine(AppContext.BaseDirectory, "docs-images");
        Directory.CreateDirectory(outDir);
        await page.Locator("#graph-wrap").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(outDir, "graph-c-hokusai-live.png") });
        var live = page.Locator("#graph .node.live");
        (await live.CountAsync()).Should().BeGreaterThan(0);
        (await page.TextContentAsync("#count-live")).Should().Be((await live.CountAsync()).ToString());
        (await page.Locator(".live-swatch").CountAsync()).Should().Be(1, "the legend explains the blue boxes");
        (await page.TextContentAsync("header .meta")).Should().Contain("against the inventory of 2025-09-16 09:30:00 UTC, account 932100697590");
        await page.Locator("#graph .node.live", new PageLocatorOptions { HasText = "131 registered" }).ClickAsync();
        (await page.TextContentAsync("#panel")).Should().Contain("the latest registered revision").And.Contain("registered as revision 131 (broken)");
        requests.Should().HaveCount(1);
        await page.CloseAsync();
    }

    /// <summary>
    /// Each seed example's graph, as a person sees it: written to docs-images/ in the test output for review (the committed
    /// copies are in docs/images/). The incident's broken references must be drawn and in view.
    /// </summary>
    [Fact]
    public async Task Each_seed_example_draws_its_broken_references_in_view()
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "docs-images");
        Directory.CreateDirectory(outDir);
        foreach (var example in Directory.GetDirectories(Path.Combine(Repo.Root, "examples")).Select(Path.GetFileName).Where(n => n!.Length > 2 && n[1] == '-').Order())
        {
            var report = Path.Combine(_browser.Folder, example + ".html");
            GroundcrewCli.Exec("check", Path.Combine(Repo.Root, "examples", example!), "--format", "html", "--output", report).ExitCode.Should().Be(1);
            var (page, requests) = await _browser.Open(report, 2000, 1000);
            await page.Locator("#graph-wrap").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(outDir, $"graph-{example}.png") });
            var withFindings = page.Locator("#graph .node.has-findings, #graph .node.has-warnings");
            (await withFindings.CountAsync()).Should().BeGreaterThan(0, $"{example}: the nodes of its incidents are marked");
            // In view: every marked node's box lies inside the graph's visible area.
            var outside = await page.EvaluateAsync<int>(@"() => {
                const r = document.getElementById('graph').getBoundingClientRect();
                return [...document.querySelectorAll('#graph .node.has-findings, #graph .node.has-warnings')].filter(n => {
                  const b = n.getBoundingClientRect(); return b.right < r.left || b.left > r.right || b.bottom < r.top || b.top > r.bottom; }).length; }");
            outside.Should().Be(0, $"{example}: every node with a finding is visible without scrolling");
            requests.Should().HaveCount(1);
            await page.CloseAsync();
        }
    }
}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection;
