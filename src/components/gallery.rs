//! The scenario gallery and the story box that explains the loaded entry.

use yew::prelude::*;

use crate::gallery::{self, Entry};
use crate::state::{Action, Story};

/// The variant buttons of an entry; `id_prefix` keeps test ids unique
/// between a gallery card and the story box.
fn variant_buttons(
    entry: &Entry,
    current: Option<usize>,
    on_action: &Callback<Action>,
    id_prefix: &str,
) -> Html {
    html! {
        <div class="story__variants" role="group" aria-label={format!("Variants of {}", entry.title)}>
            { for entry.variants().enumerate().map(|(index, variant)| {
                let key = entry.key.to_string();
                let onclick = on_action.reform(move |_: MouseEvent| Action::OpenStory { key: key.clone(), variant: index });
                let pressed = current == Some(index);
                let class = classes!("button", if index == 0 { "button--failure" } else { "button--cure" });
                html! {
                    <button type="button" {class} {onclick} aria-pressed={pressed.to_string()}
                            data-testid={format!("{id_prefix}-{index}")}>
                        { variant.label }
                    </button>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub story: Option<Story>,
    pub on_action: Callback<Action>,
}

/// Every gallery entry as a card with its explanation and its variants.
#[function_component]
pub fn Gallery(props: &GalleryProps) -> Html {
    let entries = use_memo((), |_| gallery::entries());
    html! {
        <section class="gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{ "What goes wrong with webhooks, and the cures" }</h2>
            <p class="gallery__lede">
                { "Each scenario reproduces a failure seen in production, then the cure. \
                   The same payments go through both, so the difference is the cure alone." }
            </p>
            <ul class="gallery__list">
                { for entries.iter().map(|entry| {
                    let current = props.story.as_ref().filter(|story| story.key == entry.key).map(|story| story.variant);
                    html! {
                        <li class={classes!("gallery__card", current.map(|_| "gallery__card--open"))}
                            data-testid={format!("gallery-{}", entry.key)}>
                            <h3>{ entry.title }</h3>
                            <p>{ entry.explanation }</p>
                            { variant_buttons(entry, current, &props.on_action, &format!("gallery-{}", entry.key)) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct StoryBoxProps {
    pub story: Story,
    pub on_action: Callback<Action>,
    /// Whether the box scrolls into view and takes focus when its story
    /// changes. False in a frame, where both would scroll the host page to
    /// the frame and take the focus from it.
    pub take_focus: bool,
}

/// The loaded gallery entry, above the panels, so the explanation stays in
/// view while the run plays.
#[function_component]
pub fn StoryBox(props: &StoryBoxProps) -> Html {
    // A story usually opens from the gallery far below, so the box comes
    // into view and takes focus, which also tells screen readers.
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        let take_focus = props.take_focus;
        use_effect_with(props.story.clone(), move |_| {
            if !take_focus {
                return;
            }
            if let Some(element) = heading.cast::<web_sys::HtmlElement>() {
                element.scroll_into_view();
                let _ = element.focus();
            }
        });
    }
    let Some(entry) = gallery::entry(props.story.key) else {
        return html! {};
    };
    let variant = entry.variants().nth(props.story.variant).map_or("", |v| v.label);
    let on_close = props.on_action.reform(|_: MouseEvent| Action::CloseStory);
    html! {
        <section class="story" aria-labelledby="story-title" data-testid="story">
            <div class="story__head">
                <h2 id="story-title" tabindex="-1" ref={heading}>
                    { entry.title }<span class="story__variant">{ format!(" ({variant})") }</span>
                </h2>
                <button type="button" class="button button--small" onclick={on_close}>{ "Close" }</button>
            </div>
            <p>{ entry.explanation }</p>
            { variant_buttons(&entry, Some(props.story.variant), &props.on_action, "story") }
        </section>
    }
}
