//! The reader's HTML tree: elements and texts in one vector, in document order, each node
//! knowing where its subtree ends — so "every descendant" is a range of the vector and a
//! skipped subtree is one jump. Names and texts borrow from the page where they can. Both tree
//! builders fill it: the fast builder (`html_fast`) directly, html5ever through
//! [`Dom::from_html5ever`]. It keeps what the reader reads: elements (lowercase names, the
//! span and meta attributes) and texts; comments, doctypes and processing instructions are
//! left out.
//!
//! Why not scraper's tree: building its nodes (interned qualified names, a tendril and an
//! attribute vector per element) was the largest single item of an HTML ingest (profile in the
//! README, issue 14).

use std::borrow::Cow;

/// A node's index in the tree; the document is 0.
pub type Id = u32;

const NONE: Id = Id::MAX;

/// The attributes the reader reads: table spans, and the name and content of portal meta tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Colspan,
    Rowspan,
    Name,
    Content,
}

impl Attr {
    /// The attribute of a lowercase attribute name, `None` for one the reader does not read.
    pub fn of(name: &str) -> Option<Attr> {
        match name {
            "colspan" => Some(Attr::Colspan),
            "rowspan" => Some(Attr::Rowspan),
            "name" => Some(Attr::Name),
            "content" => Some(Attr::Content),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element<'a> {
    /// The lowercase tag name.
    pub name: Cow<'a, str>,
    /// The first value of each attribute the reader reads, character references decoded.
    pub attrs: Vec<(Attr, Cow<'a, str>)>,
}

impl Element<'_> {
    pub fn attr(&self, attr: Attr) -> Option<&str> {
        self.attrs.iter().find(|(a, _)| *a == attr).map(|(_, v)| v.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data<'a> {
    Document,
    Element(Element<'a>),
    Text(Cow<'a, str>),
}

#[derive(Debug, Clone)]
struct Node<'a> {
    parent: Id,
    first_child: Id,
    last_child: Id,
    next_sibling: Id,
    /// One past the last node of this node's subtree (valid once the tree is finished).
    end: Id,
    data: Data<'a>,
}

/// A page's tree (see the module docs).
#[derive(Debug, Clone)]
pub struct Dom<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    /// An empty document with room for `capacity` nodes.
    pub fn with_capacity(capacity: usize) -> Dom<'a> {
        let mut nodes = Vec::with_capacity(capacity.max(1));
        nodes.push(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            end: 1,
            data: Data::Document,
        });
        Dom { nodes }
    }

    /// Appends `data` as the last child of `parent`; its id.
    pub fn append(&mut self, parent: Id, data: Data<'a>) -> Id {
        let id = self.nodes.len() as Id;
        self.nodes.push(Node { parent, first_child: NONE, last_child: NONE, next_sibling: NONE, end: id + 1, data });
        let p = &mut self.nodes[parent as usize];
        let previous = p.last_child;
        p.last_child = id;
        if previous == NONE {
            p.first_child = id;
        } else {
            self.nodes[previous as usize].next_sibling = id;
        }
        id
    }

    pub fn element(name: impl Into<Cow<'a, str>>, attrs: Vec<(Attr, Cow<'a, str>)>) -> Data<'a> {
        Data::Element(Element { name: name.into(), attrs })
    }

    /// Puts the nodes in document order (when a builder appended out of it) and records where
    /// each subtree ends. Call once, after the last `append`.
    pub fn finish(mut self) -> Dom<'a> {
        if !self.record_ends() {
            self = self.reordered();
            self.record_ends();
        }
        self
    }

    /// Records where each subtree ends, in one pass from the last node (a child's id is always
    /// above its parent's: `append` gives the next free id), and says whether the ids are in
    /// document order: each first child right after its parent, each next sibling right after
    /// the subtree before it.
    fn record_ends(&mut self) -> bool {
        let mut in_order = true;
        for i in (0..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            let end = if n.last_child == NONE { i as Id + 1 } else { self.nodes[n.last_child as usize].end };
            in_order &= n.first_child == NONE || n.first_child == i as Id + 1;
            in_order &= n.next_sibling == NONE || n.next_sibling == end;
            self.nodes[i].end = end;
        }
        in_order
    }

    fn preorder(&self) -> Vec<Id> {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![0];
        while let Some(id) = stack.pop() {
            order.push(id);
            let first = stack.len();
            let mut child = self.nodes[id as usize].first_child;
            while child != NONE {
                stack.push(child);
                child = self.nodes[child as usize].next_sibling;
            }
            stack[first..].reverse();
        }
        order
    }

    fn reordered(self) -> Dom<'a> {
        let order = self.preorder();
        let mut new_id = vec![NONE; self.nodes.len()];
        for (i, &old) in order.iter().enumerate() {
            new_id[old as usize] = i as Id;
        }
        let map = |id: Id| if id == NONE { NONE } else { new_id[id as usize] };
        let mut slots: Vec<Option<Node<'a>>> = self.nodes.into_iter().map(Some).collect();
        let nodes = order
            .iter()
            .filter_map(|&old| slots[old as usize].take())
            .map(|n| Node {
                parent: map(n.parent),
                first_child: map(n.first_child),
                last_child: map(n.last_child),
                next_sibling: map(n.next_sibling),
                end: 0,
                data: n.data,
            })
            .collect();
        Dom { nodes }
    }

    /// html5ever's tree of a page (scraper's `Html`), as the reader's tree.
    pub fn from_html5ever(doc: &scraper::Html) -> Dom<'static> {
        let mut dom = Dom::with_capacity(doc.tree.nodes().count());
        // (node, the id of its parent in `dom`), popped in document order.
        let mut stack: Vec<(ego_tree::NodeRef<scraper::Node>, Id)> =
            doc.tree.root().children().rev().map(|c| (c, 0)).collect();
        while let Some((node, parent)) = stack.pop() {
            let data = match node.value() {
                scraper::Node::Element(e) => {
                    let mut attrs: Vec<(Attr, Cow<str>)> = Vec::new();
                    for (a, v) in e.attrs().filter_map(|(n, v)| Attr::of(n).map(|a| (a, v))) {
                        if !attrs.iter().any(|(k, _)| *k == a) {
                            attrs.push((a, Cow::Owned(v.to_string())));
                        }
                    }
                    Dom::element(e.name().to_string(), attrs)
                }
                scraper::Node::Text(t) => Data::Text(Cow::Owned(t.to_string())),
                _ => continue,
            };
            let id = dom.append(parent, data);
            stack.extend(node.children().rev().map(|c| (c, id)));
        }
        dom.finish()
    }

    pub fn root(&self) -> Id {
        0
    }

    pub fn data(&self, id: Id) -> &Data<'a> {
        &self.nodes[id as usize].data
    }

    pub fn as_element(&self, id: Id) -> Option<&Element<'a>> {
        match &self.nodes[id as usize].data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The tag name of an element, `""` for a text or the document.
    pub fn name(&self, id: Id) -> &str {
        self.as_element(id).map_or("", |e| e.name.as_ref())
    }

    pub fn parent(&self, id: Id) -> Option<Id> {
        let p = self.nodes[id as usize].parent;
        (p != NONE).then_some(p)
    }

    /// The node's children, in order.
    pub fn children(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        let mut next = self.nodes[id as usize].first_child;
        std::iter::from_fn(move || {
            (next != NONE).then(|| {
                let id = next;
                next = self.nodes[id as usize].next_sibling;
                id
            })
        })
    }

    /// One past the last node of the node's subtree: its descendants are `id + 1 .. end(id)`.
    pub fn end(&self, id: Id) -> Id {
        self.nodes[id as usize].end
    }

    /// The node and its descendants, in document order.
    pub fn subtree(&self, id: Id) -> std::ops::Range<Id> {
        id..self.end(id)
    }

    /// Every text of the node's subtree, in document order.
    pub fn text(&self, id: Id) -> String {
        self.subtree(id)
            .filter_map(|d| match self.data(d) {
                Data::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect()
    }

    /// The first element named `name`, in document order.
    pub fn first_named(&self, name: &str) -> Option<Id> {
        (0..self.nodes.len() as Id).find(|&i| self.name(i) == name)
    }

    /// The number of nodes, the document included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree holds nothing but the document.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The depth of the deepest node (the document is 1).
    pub fn depth(&self) -> usize {
        let mut depth = vec![0u32; self.nodes.len()];
        let mut max = 0;
        for (i, n) in self.nodes.iter().enumerate() {
            depth[i] = if n.parent == NONE { 1 } else { depth[n.parent as usize] + 1 };
            max = max.max(depth[i]);
        }
        max as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dom: &Dom, ids: impl Iterator<Item = Id>) -> Vec<String> {
        ids.map(|i| match dom.data(i) {
            Data::Element(e) => e.name.to_string(),
            Data::Text(t) => format!("'{t}'"),
            Data::Document => "#".into(),
        })
        .collect()
    }

    #[test]
    fn a_tree_appended_out_of_order_is_put_in_document_order() {
        let mut dom = Dom::with_capacity(8);
        let html = dom.append(0, Dom::element("html", vec![]));
        let head = dom.append(html, Dom::element("head", vec![]));
        let body = dom.append(html, Dom::element("body", vec![]));
        // Appended to the head after the body exists: out of document order until finished.
        dom.append(head, Dom::element("title", vec![]));
        let p = dom.append(body, Dom::element("p", vec![]));
        dom.append(p, Data::Text("总计".into()));
        let dom = dom.finish();
        assert_eq!(names(&dom, dom.subtree(0)), ["#", "html", "head", "title", "body", "p", "'总计'"]);
        let body = dom.first_named("body").unwrap();
        assert_eq!(names(&dom, dom.subtree(body)), ["body", "p", "'总计'"]);
        assert_eq!(names(&dom, dom.children(1)), ["head", "body"]);
        assert_eq!(dom.parent(body), Some(1));
        assert_eq!(dom.depth(), 5);
    }

    #[test]
    fn html5ever_trees_keep_elements_texts_and_the_read_attributes() {
        let page = "<!-- c --><table><tr><td COLSPAN=2 rowspan=3 class=x colspan=5>1<!-- d --></td></tr></table>";
        let dom = Dom::from_html5ever(&scraper::Html::parse_document(page));
        assert_eq!(names(&dom, dom.subtree(0)), ["#", "html", "head", "body", "table", "tbody", "tr", "td", "'1'"]);
        let td = dom.as_element(dom.first_named("td").unwrap()).unwrap();
        assert_eq!(td.attrs, vec![(Attr::Colspan, "2".into()), (Attr::Rowspan, "3".into())]);
        assert_eq!(td.attr(Attr::Name), None);
    }
}
