// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Bulwark.Fuzzing.Mutation;

/// Parses well-formed XML (no DTD) and changes element text, attributes, names and nesting; also prepends
/// DTDs with entities, which readers must refuse. Null when the input is not XML.
public static class XmlMutator
{
    private static readonly string[] Doctypes =
    [
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
        "<!DOCTYPE r SYSTEM \"file:///etc/passwd\">",
        "<!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:1/x\">]>",
    ];

    public static byte[]? Mutate(byte[] input, Rng rng, MutationContext ctx)
    {
        try
        {
            return MutateTree(input, rng, ctx);
        }
        catch (Exception e) when (e is XmlException or InvalidOperationException or ArgumentException)
        {
            return null;   // a change LINQ to XML cannot write (namespace clashes, names): byte mutations take over
        }
    }

    private static byte[]? MutateTree(byte[] input, Rng rng, MutationContext ctx)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(input), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
        if (doc.Root is null) return null;
        var elements = doc.Root.DescendantsAndSelf().Take(4096).ToList();
        var target = rng.Pick(elements);
        switch (rng.Next(9))
        {
            case 0 or 1:
                if (!target.HasElements) target.Value = Text(rng, ctx);
                else target.Add(new XText(Text(rng, ctx)));
                break;
            case 2:
                if (target.Attributes().ToList() is { Count: > 0 } attributes) rng.Pick(attributes).Value = Text(rng, ctx);
                else target.SetAttributeValue(Name(rng, ctx), Text(rng, ctx));
                break;
            case 3:
                if (target.Parent is not null) target.Remove();
                break;
            case 4:
                if (target.Parent is not null) target.AddAfterSelf(new XElement(target));
                break;
            case 5:
                // rename within the same namespace (or to a sibling's name)
                target.Name = rng.Chance(2) && target.Parent?.Elements().ToList() is { Count: > 0 } siblings
                    ? rng.Pick(siblings).Name
                    : target.Name.Namespace + Name(rng, ctx);
                break;
            case 6:
                // nesting: the element inside a copy of itself, a few levels deep
                var nested = new XElement(target);
                for (var d = 1 + rng.Next(rng.Chance(8) ? 200 : 3); d > 0; d--) nested = new XElement(target.Name, nested);
                target.ReplaceWith(nested);
                break;
            case 7:
                if (OtherElement(rng, ctx) is { } graft) target.Add(graft);
                break;
            default:
                return Encoding.UTF8.GetBytes(rng.Pick(Doctypes) + doc.Root.ToString(SaveOptions.DisableFormatting)
                    .Replace(">", rng.Chance(2) ? ">&c;" : ">", StringComparison.Ordinal));
        }
        var text = (doc.Declaration is { } d2 && rng.Chance(2) ? d2 + "\n" : "") + doc.Root!.ToString(rng.Chance(2) ? SaveOptions.DisableFormatting : SaveOptions.None);
        return Encoding.UTF8.GetBytes(text);
    }

    private static XElement? OtherElement(Rng rng, MutationContext ctx)
    {
        if (ctx.Seeds.Count == 0) return null;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(rng.Pick(ctx.Seeds)), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var other = XDocument.Load(reader);
            return other.Root is null ? null : new XElement(rng.Pick(other.Root.DescendantsAndSelf().Take(4096).ToList()));
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string Name(Rng rng, MutationContext ctx)
    {
        var word = ctx.Dictionary.Count > 0 && rng.Chance(2) ? rng.Pick(ctx.Dictionary) : "x" + rng.Next(10);
        try
        {
            return XmlConvert.VerifyNCName(word);
        }
        catch (XmlException)
        {
            return "x" + rng.Next(10);
        }
    }

    private static string Text(Rng rng, MutationContext ctx)
    {
        var text = rng.Next(6) switch
        {
            0 => "",
            1 => rng.Pick(ByteMutators.InterestingNumbers),
            2 => rng.Pick(ByteMutators.GenericTokens),
            3 => new string('a', 1 + rng.Next(rng.Chance(4) ? 100_000 : 300)),
            4 => "sha256:" + new string('f', 64),
            _ => ctx.Dictionary.Count > 0 ? rng.Pick(ctx.Dictionary) : "x",
        };
        // XML cannot carry most control characters or lone surrogates at all: keep what it can
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) if (XmlConvert.IsXmlChar(c)) sb.Append(c);
        return sb.ToString();
    }
}
