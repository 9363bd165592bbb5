// SPDX-License-Identifier: Apache-2.0
// Sorts versions (one a line on stdin) with Maven's own ComparableVersion and prints adjacent pairs as
// "A < B" / "A = B" lines for testdata/maven.generated.txt. Run by maven.sh.
import java.io.*;
import java.util.*;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenSort {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        TreeSet<String> texts = new TreeSet<>();
        for (String line; (line = in.readLine()) != null; ) if (!line.isEmpty()) texts.add(line);
        List<String> vs = new ArrayList<>(texts);
        // stable sort over a lexically sorted input: the output is reproducible
        vs.sort((a, b) -> new ComparableVersion(a).compareTo(new ComparableVersion(b)));
        for (int i = 1; i < vs.size(); i++) {
            int c = new ComparableVersion(vs.get(i - 1)).compareTo(new ComparableVersion(vs.get(i)));
            System.out.println(vs.get(i - 1) + (c < 0 ? " < " : c == 0 ? " = " : " > ") + vs.get(i));
        }
    }
}
