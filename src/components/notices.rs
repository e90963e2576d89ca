use yew::prelude::*;

use crate::state::Notice;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    /// Older notices no longer in the list.
    pub dropped: usize,
    pub on_dismiss: Callback<()>,
}

/// Input that was rejected or replaced, named with the value used instead.
#[function_component]
pub fn Notices(props: &NoticesProps) -> Html {
    // The live region stays in the page even when empty, so screen readers
    // announce notices that appear later.
    html! {
        <div class="notices" role="status" aria-live="polite" data-testid="notices">
            if !props.notices.is_empty() {
                <ul>
                    if props.dropped > 0 {
                        <li data-testid="notices-dropped">{ format!(
                            "{} earlier {} not shown.",
                            props.dropped,
                            if props.dropped == 1 { "notice is" } else { "notices are" }
                        ) }</li>
                    }
                    { for props.notices.iter().map(|notice| html! { <li>{ notice.text.clone() }</li> }) }
                </ul>
                <button type="button" class="button button--small"
                        onclick={props.on_dismiss.reform(|_| ())}>{ "Dismiss" }</button>
            }
        </div>
    }
}
