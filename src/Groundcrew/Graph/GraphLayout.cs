using System.Globalization;
using System.Text;
using Microsoft.Msagl.Core.Geometry;
using Microsoft.Msagl.Core.Geometry.Curves;
using Microsoft.Msagl.Core.Layout;
using Microsoft.Msagl.Layout.Layered;
using Microsoft.Msagl.Miscellaneous;
using MsaglEdge = Microsoft.Msagl.Core.Layout.Edge;
using MsaglNode = Microsoft.Msagl.Core.Layout.Node;

namespace Groundcrew.Graph;

/// <summary>One group's box: its nodes at positions relative to the box's top-left corner, and its inner edges' paths.</summary>
public sealed class GroupLayout
{
    public required string Name { get; init; }
    public double Width { get; set; }
    public double Height { get; set; }
    public List<int> Nodes { get; } = new();
    /// <summary>Node index to (x, y) of its centre, relative to the box.</summary>
    public Dictionary<int, (double X, double Y)> Positions { get; } = new();
    /// <summary>Edge index to an SVG path (relative to the box) for the edges whose two ends sit in this group.</summary>
    public Dictionary<int, string> Paths { get; } = new();
}

/// <summary>
/// Lays out the graph with MSAGL's layered (Sugiyama) layout, left to right, one group at a time: each group (an app folder,
/// a namespace, a module) is laid out on its own, so a repository of 2,000 resources is many small readable drawings rather
/// than one tangle, and the browser only has to place the boxes (and can collapse them). A group larger than
/// <see cref="MaxLayeredNodes"/> gets a plain grid in reading order: the layered layout grows much faster than linearly
/// and such a group is unreadable either way until it is filtered or collapsed.
/// </summary>
public static class GraphLayout
{
    public const double NodeHeight = 26;
    public const double GroupPadding = 16;
    public const double GroupHeader = 24;
    /// <summary>Above this, a group is drawn as a grid (measured: MSAGL lays out 1,000 nodes of this graph in about a second here).</summary>
    public const int MaxLayeredNodes = 600;

    /// <summary>Width of a node's box for its label (the browser draws 11 px sans-serif: about 6.3 px a character).</summary>
    public static double NodeWidth(GraphNode n) => Math.Min(260, 20 + 6.4 * Math.Min(n.Label.Length, 38));

    public static List<GroupLayout> Layout(DeploymentGraph graph, GroupBy by)
    {
        var groups = graph.Nodes.GroupBy(n => n.GroupOf(by)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var edgesByGroup = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var e = graph.Edges[i];
            var a = graph.Nodes[e.From].GroupOf(by);
            if (a != graph.Nodes[e.To].GroupOf(by)) continue;
            if (!edgesByGroup.TryGetValue(a, out var list)) edgesByGroup[a] = list = new List<int>();
            list.Add(i);
        }
        var result = new List<GroupLayout>(groups.Count);
        foreach (var g in groups)
        {
            var layout = new GroupLayout { Name = g.Key };
            layout.Nodes.AddRange(g.Select(n => n.Index));
            var edges = edgesByGroup.GetValueOrDefault(g.Key) ?? [];
            if (layout.Nodes.Count > MaxLayeredNodes) Grid(graph, layout);
            else Layered(graph, layout, edges);
            result.Add(layout);
        }
        return result;
    }

    private static void Layered(DeploymentGraph graph, GroupLayout layout, List<int> edges)
    {
        var g = new GeometryGraph();
        var nodes = new Dictionary<int, MsaglNode>();
        foreach (var i in layout.Nodes)
        {
            var n = new MsaglNode(CurveFactory.CreateRectangle(NodeWidth(graph.Nodes[i]), NodeHeight, new Point()), i);
            nodes[i] = n;
            g.Nodes.Add(n);
        }
        var msaglEdges = new List<(int Index, MsaglEdge Edge)>();
        foreach (var ei in edges)
        {
            var e = graph.Edges[ei];
            var me = new MsaglEdge(nodes[e.From], nodes[e.To]);
            g.Edges.Add(me);
            msaglEdges.Add((ei, me));
        }
        var settings = new SugiyamaLayoutSettings
        {
            NodeSeparation = 14,
            LayerSeparation = 56,
            // Left to right: chains read like the incident reports write them ("EventBridge -> SQS -> billing-service").
            Transformation = PlaneTransformation.Rotation(Math.PI / 2),
        };
        LayoutHelpers.CalculateLayout(g, settings, null);
        g.UpdateBoundingBox();
        var box = g.BoundingBox;
        // MSAGL's y axis points up; the page's points down.
        double X(double x) => x - box.Left + GroupPadding;
        double Y(double y) => box.Top - y + GroupPadding + GroupHeader;
        foreach (var (i, n) in nodes) layout.Positions[i] = (Round(X(n.Center.X)), Round(Y(n.Center.Y)));
        foreach (var (ei, me) in msaglEdges)
            if (me.Curve != null) layout.Paths[ei] = SvgPath(me.Curve, X, Y);
        layout.Width = Round(box.Width + 2 * GroupPadding);
        layout.Height = Round(box.Height + 2 * GroupPadding + GroupHeader);
    }

    /// <summary>Rows of nodes in the order given, wrapped to a roughly square box; edges drawn straight by the browser.</summary>
    private static void Grid(DeploymentGraph graph, GroupLayout layout)
    {
        var columns = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(layout.Nodes.Count / 2.0)));
        const double cell = 200, row = NodeHeight + 12;
        for (var k = 0; k < layout.Nodes.Count; k++)
        {
            var i = layout.Nodes[k];
            layout.Positions[i] = (GroupPadding + (k % columns) * cell + cell / 2, GroupHeader + GroupPadding + (k / columns) * row + NodeHeight / 2);
        }
        layout.Width = GroupPadding * 2 + columns * cell;
        layout.Height = GroupHeader + GroupPadding * 2 + Math.Ceiling(layout.Nodes.Count / (double)columns) * row;
    }

    private static double Round(double v) => Math.Round(v, 1);

    private static string SvgPath(ICurve curve, Func<double, double> x, Func<double, double> y)
    {
        var sb = new StringBuilder();
        string P(Point p) => string.Create(CultureInfo.InvariantCulture, $"{Round(x(p.X))},{Round(y(p.Y))}");
        sb.Append('M').Append(P(curve.Start));
        if (curve is Curve c)
        {
            foreach (var seg in c.Segments)
            {
                if (seg is CubicBezierSegment b) sb.Append(" C").Append(P(b.B(1))).Append(' ').Append(P(b.B(2))).Append(' ').Append(P(b.B(3)));
                else sb.Append(" L").Append(P(seg.End));
            }
        }
        else if (curve is CubicBezierSegment b) sb.Append(" C").Append(P(b.B(1))).Append(' ').Append(P(b.B(2))).Append(' ').Append(P(b.B(3)));
        else sb.Append(" L").Append(P(curve.End));
        return sb.ToString();
    }
}
