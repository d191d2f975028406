//! Reference graphs of Fluent sources: which message and term parts refer to
//! which, split into strongly connected components without recursion, so
//! that tenant-controlled chains of any length take linear time and constant
//! stack.

/// A directed graph of numbered nodes; every edge names a node of the graph.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    edges: Vec<Vec<usize>>,
}

impl Graph {
    /// A graph of `nodes` nodes and no edges.
    pub(crate) fn new(nodes: usize) -> Graph {
        Graph {
            edges: vec![Vec::new(); nodes],
        }
    }

    /// Adds an edge; one that names a node outside the graph is ignored, so
    /// that every stored edge is in range.
    pub(crate) fn add_edge(&mut self, from: usize, to: usize) {
        let nodes = self.edges.len();
        debug_assert!(to < nodes, "edge to node {to} of {nodes}");
        if to < nodes
            && let Some(edges) = self.edges.get_mut(from)
        {
            edges.push(to);
        }
    }

    /// The nodes `node` has edges to, with repeats, in the order added.
    pub(crate) fn successors(&self, node: usize) -> &[usize] {
        self.edges.get(node).map_or(&[], Vec::as_slice)
    }

    /// The strongly connected components (Tarjan's algorithm with an explicit
    /// stack). Components are numbered in reverse topological order: every
    /// component a node reaches has a number no larger than its own.
    #[expect(
        clippy::indexing_slicing,
        reason = "every index is a node number below `edges.len()`: `add_edge` keeps only such edges, and the per-node vectors have that length"
    )]
    pub(crate) fn components(&self) -> Components {
        const UNSEEN: usize = usize::MAX;
        let n = self.edges.len();
        let mut index = vec![UNSEEN; n];
        let mut lowlink = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut component = vec![0; n];
        let mut count = 0;
        let mut next_index = 0;
        // The explicit call stack: a node and the position of its next edge.
        let mut calls: Vec<(usize, usize)> = Vec::new();
        for root in 0..n {
            if index[root] != UNSEEN {
                continue;
            }
            index[root] = next_index;
            lowlink[root] = next_index;
            next_index += 1;
            stack.push(root);
            on_stack[root] = true;
            calls.push((root, 0));
            while let Some((node, position)) = calls.last_mut() {
                let node = *node;
                if let Some(&next) = self.edges[node].get(*position) {
                    *position += 1;
                    if index[next] == UNSEEN {
                        index[next] = next_index;
                        lowlink[next] = next_index;
                        next_index += 1;
                        stack.push(next);
                        on_stack[next] = true;
                        calls.push((next, 0));
                    } else if on_stack[next] {
                        lowlink[node] = lowlink[node].min(index[next]);
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    lowlink[parent] = lowlink[parent].min(lowlink[node]);
                }
                if lowlink[node] == index[node] {
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component[member] = count;
                        if member == node {
                            break;
                        }
                    }
                    count += 1;
                }
            }
        }
        let mut size = vec![0usize; count];
        for &c in &component {
            size[c] += 1;
        }
        let cyclic = (0..n)
            .map(|node| size[component[node]] > 1 || self.edges[node].contains(&node))
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&node| component[node]);
        Components {
            component,
            cyclic,
            order,
        }
    }
}

/// The strongly connected components of a [`Graph`].
#[derive(Debug)]
pub(crate) struct Components {
    component: Vec<usize>,
    cyclic: Vec<bool>,
    order: Vec<usize>,
}

impl Components {
    /// Whether two nodes are in the same component.
    pub(crate) fn same(&self, a: usize, b: usize) -> bool {
        match (self.component.get(a), self.component.get(b)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }

    /// Whether a node lies on a cycle (including an edge to itself).
    pub(crate) fn is_cyclic(&self, node: usize) -> bool {
        self.cyclic.get(node).copied().unwrap_or(false)
    }

    /// Every node, each component's nodes together, components in reverse
    /// topological order: a node comes after every node it reaches outside
    /// its own component.
    pub(crate) fn order(&self) -> &[usize] {
        &self.order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_chains_cycles_and_fans() {
        // 0 -> 1 -> 2 -> 1, 3 -> 3, 4 alone.
        let mut graph = Graph::new(5);
        graph.add_edge(0, 1);
        graph.add_edge(1, 2);
        graph.add_edge(2, 1);
        graph.add_edge(3, 3);
        let parts = graph.components();
        assert!(parts.same(1, 2));
        assert!(!parts.same(0, 1));
        assert_eq!(
            (0..5).map(|n| parts.is_cyclic(n)).collect::<Vec<_>>(),
            [false, true, true, true, false]
        );
        let position = |n: usize| parts.order().iter().position(|&m| m == n).unwrap();
        assert!(position(1) < position(0));
        assert!(position(2) < position(0));
    }

    #[test]
    fn a_chain_of_a_million_needs_no_recursion() {
        let n = 1_000_000;
        let mut graph = Graph::new(n);
        for i in 1..n {
            graph.add_edge(i - 1, i);
        }
        graph.add_edge(n - 1, 0);
        let parts = graph.components();
        assert!(parts.same(0, n - 1));
        assert!(parts.is_cyclic(n / 2));
    }
}
