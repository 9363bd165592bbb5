// SPDX-License-Identifier: Apache-2.0
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Core.Tests.Properties;

/// Properties of SPDX license expressions over expression trees FsCheck builds (SPDX 2.3 annex D grammar).
public class LicenseExpressionPropertiesTests
{
    private static readonly Gen<string> Leaf = Gen.Frequency(
        (6, Gen.Elements("MIT", "Apache-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "BSD-3-Clause", "LGPL-2.1-only", "MPL-2.0", "ISC", "0BSD", "mit", "apache-2.0")),
        (1, Gen.Elements("GPL-2.0+", "LGPL-2.0+", "Apache-1.1+")),
        (2, Gen.Elements("LicenseRef-Proprietary", "LicenseRef-x.y-1", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")));

    private static readonly Gen<string> Exception = Gen.Elements("Classpath-exception-2.0", "LLVM-exception", "GCC-exception-3.1", "classpath-exception-2.0");

    private static Gen<string> Expression(int depth) => depth == 0
        ? Gen.Frequency((4, Leaf), (1, from l in Leaf.Where(l => !l.StartsWith("DocumentRef", StringComparison.Ordinal)) from e in Exception select $"{l} WITH {e}"))
        : Gen.Frequency(
            (3, Expression(0)),
            (2, from a in Expression(depth - 1) from b in Expression(depth - 1) from op in Gen.Elements(" AND ", " OR ", " and ", " or ")
                select a + op + b),
            (2, Expression(depth - 1).Select(e => $"({e})")));

    private static readonly Gen<string> Expressions = Gen.Choose(0, 4).SelectMany(Expression);

    [Fact]
    public void A_generated_expression_prints_to_text_that_parses_to_the_same_expression()
    {
        Check(Prop.ForAll(Expressions.ToArbitrary(), text =>
        {
            // the same expression: AND and OR are associative, and printing with the fewest parentheses may regroup
            // a chain of one operator ("(A AND B) AND C" prints as "A AND B AND C"); nothing else may change
            var tree = LicenseExpression.Parse(text);
            var printed = tree.ToString();
            var again = LicenseExpression.Parse(printed);
            Assert.Equal(Depthless(tree), Depthless(again));
            Assert.Equal(printed, again.ToString());
        }), maxTest: 3000);
    }

    [Fact]
    public void Printing_keeps_operator_precedence_and_the_leaves_in_order()
    {
        Check(Prop.ForAll(Expressions.ToArbitrary(), text =>
        {
            var tree = LicenseExpression.Parse(text);
            var leaves = Leaves(tree).ToArray();
            Assert.Equal(leaves, Leaves(LicenseExpression.Parse(tree.ToString())).ToArray());
            Assert.Equal(Depthless(tree), Depthless(LicenseExpression.Parse(tree.ToString())));
        }));
    }

    [Fact]
    public void Damaged_expressions_parse_or_are_refused_with_a_message()
    {
        var damaged = from text in Expressions
                      from at in Gen.Choose(0, text.Length)
                      from kind in Gen.Choose(0, 2)
                      from cut in Gen.Elements("(", ")", " AND", "OR ", "WITH ", "+", ":", " ", "LicenseRef-", "\0")
                      select kind switch
                      {
                          0 => text.Insert(at, cut),
                          1 when at < text.Length => text.Remove(at, 1),
                          _ => text[..at],
                      };
        Check(Prop.ForAll(damaged.ToArbitrary(), text =>
        {
            if (LicenseExpression.TryParse(text, out var tree, out var error))
                Assert.Equal(Depthless(tree), Depthless(LicenseExpression.Parse(tree.ToString())));
            else
                Assert.Contains(error, Assert.Throws<FormatException>(() => LicenseExpression.Parse(text)).Message, StringComparison.Ordinal);
        }), maxTest: 3000);
    }

    private static IEnumerable<string> Leaves(LicenseExpression e) => e switch
    {
        AndExpression a => Leaves(a.Left).Concat(Leaves(a.Right)),
        OrExpression o => Leaves(o.Left).Concat(Leaves(o.Right)),
        WithException w => Leaves(w.License).Append("WITH " + w.Exception),
        _ => [e.ToString()],
    };

    // the tree with AND/OR chains flattened: associativity may regroup a chain, nothing else may change
    private static string Depthless(LicenseExpression e) => e switch
    {
        AndExpression => "AND[" + string.Join(",", Chain<AndExpression>(e).Select(Depthless)) + "]",
        OrExpression => "OR[" + string.Join(",", Chain<OrExpression>(e).Select(Depthless)) + "]",
        _ => e.ToString(),
    };

    private static IEnumerable<LicenseExpression> Chain<T>(LicenseExpression e) where T : LicenseExpression => e switch
    {
        AndExpression a when e is T => Chain<T>(a.Left).Concat(Chain<T>(a.Right)),
        OrExpression o when e is T => Chain<T>(o.Left).Concat(Chain<T>(o.Right)),
        _ => [e],
    };

    private static void Check(Property property, int maxTest = 1000) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 43).WithQuietOnSuccess(true));
}
