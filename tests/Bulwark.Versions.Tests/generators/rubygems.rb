# SPDX-License-Identifier: Apache-2.0
# Sorts versions (one a line on stdin) with RubyGems' own Gem::Version and prints adjacent pairs as "A < B" / "A = B".
# Lines that Gem::Version rejects are skipped. Run by rubygems.sh.
require "rubygems"
texts = STDIN.each_line.map(&:strip).reject(&:empty?).uniq.select { |t| Gem::Version.correct?(t) }.sort
# sort_by keeps equal versions in input (lexical) order only by accident; sort with an explicit tie-break instead
vs = texts.map { |t| [Gem::Version.new(t), t] }.sort { |a, b| (a[0] <=> b[0]).nonzero? || (a[1] <=> b[1]) }
vs.each_cons(2) do |(va, a), (vb, b)|
  c = va <=> vb
  puts "#{a} #{c < 0 ? '<' : c == 0 ? '=' : '>'} #{b}"
end
