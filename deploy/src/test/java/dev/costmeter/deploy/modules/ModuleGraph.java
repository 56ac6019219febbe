package dev.costmeter.deploy.modules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * costmeter's modules and what each depends on, by module directory, read from the poms: the
 * root pom's {@code <modules>}, and in each module's pom every {@code dev.costmeter} dependency
 * of any scope (a test-scope dependency orders the reactor as much as a compile one).
 */
record ModuleGraph(Map<String, Set<String>> dependencies) {

    private static final String GROUP = "dev.costmeter";

    ModuleGraph {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        dependencies.forEach((module, uses) -> copy.put(module, Collections.unmodifiableSet(new LinkedHashSet<>(uses))));
        dependencies = Collections.unmodifiableMap(copy);
    }

    /** The graph of the checkout at {@code root}. */
    static ModuleGraph read(Path root) throws IOException {
        List<String> modules = children(element(root.resolve("pom.xml")), "modules", "module");
        Map<String, String> moduleByArtifact = new LinkedHashMap<>();
        Map<String, Element> poms = new LinkedHashMap<>();
        for (String module : modules) {
            Element pom = element(root.resolve(module).resolve("pom.xml"));
            poms.put(module, pom);
            moduleByArtifact.put(text(pom, "artifactId").orElseThrow(() -> new IOException(module + "/pom.xml has no artifactId")),
                    module);
        }
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        for (String module : modules) {
            Set<String> uses = new LinkedHashSet<>();
            for (Element dependency : elements(poms.get(module), "dependencies", "dependency")) {
                if (!GROUP.equals(text(dependency, "groupId").orElse(""))) {
                    continue;
                }
                String artifact = text(dependency, "artifactId").orElse("");
                String used = moduleByArtifact.get(artifact);
                if (used == null) {
                    throw new IOException(module + "/pom.xml depends on " + artifact + ", which no module builds");
                }
                uses.add(used);
            }
            graph.put(module, uses);
        }
        return new ModuleGraph(graph);
    }

    /** A cycle as the modules along it, the first repeated at the end; empty when there is none. */
    Optional<List<String>> cycle() {
        Map<String, Boolean> done = new LinkedHashMap<>();   // false: on the current path, true: finished
        for (String module : dependencies.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> found = visit(module, done, path);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<List<String>> visit(String module, Map<String, Boolean> done, List<String> path) {
        Boolean state = done.get(module);
        if (Boolean.TRUE.equals(state)) {
            return Optional.empty();
        }
        if (Boolean.FALSE.equals(state)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(module), path.size()));
            cycle.add(module);
            return Optional.of(cycle);
        }
        done.put(module, false);
        path.add(module);
        for (String used : dependencies.getOrDefault(module, Set.of())) {
            Optional<List<String>> found = visit(used, done, path);
            if (found.isPresent()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        done.put(module, true);
        return Optional.empty();
    }

    private static Element element(Path pom) throws IOException {
        try (InputStream in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // A pom never needs a DTD or external entities; refuse them rather than fetch anything.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(in);
            return document.getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** The text of each {@code <leaf>} under the direct child {@code <list>} of {@code parent}. */
    private static List<String> children(Element parent, String list, String leaf) {
        return elements(parent, list, leaf).stream().map(e -> e.getTextContent().trim()).toList();
    }

    private static List<Element> elements(Element parent, String list, String leaf) {
        List<Element> found = new ArrayList<>();
        for (Element container : direct(parent, list)) {
            found.addAll(direct(container, leaf));
        }
        return found;
    }

    private static Optional<String> text(Element parent, String child) {
        return direct(parent, child).stream().findFirst().map(e -> e.getTextContent().trim());
    }

    /** Direct children only: a pom's {@code <build>} and {@code <dependencyManagement>} hold the same names deeper. */
    private static List<Element> direct(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && name.equals(e.getTagName())) {
                found.add(e);
            }
        }
        return found;
    }
}
