//! [`Fresh`]: a view its parent builds afresh when it renders it again, instead of diffing
//! the new view against the old one.

use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// Wraps a view that is rendered again only when much of it changes (the open quest, after
/// an attempt changed it). Diffing needs every part's `rebuild` code in the bundle: each
/// task type's, each list's, of every element; building afresh needs none of it. That
/// saves kilobytes of wasm for a cost no one sees: a quest's page is a few dozen nodes,
/// rendered again once per completed task.
pub struct Fresh<V>(pub V);

impl<V: Render> Render for Fresh<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        let mut new = self.0.build();
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

impl<V: RenderHtml> AddAnyAttr for Fresh<V> {
    type Output<A: Attribute> = Fresh<V::Output<A>>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        Fresh(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for Fresh<V> {
    type AsyncOutput = Fresh<V::AsyncOutput>;
    type Owned = Fresh<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> Self::AsyncOutput {
        Fresh(self.0.resolve().await)
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        Fresh(self.0.into_owned())
    }
}
