use yew::prelude::*;

use crate::state::Notice;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
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
                    { for props.notices.iter().map(|notice| html! { <li>{ notice.text.clone() }</li> }) }
                </ul>
                <button type="button" class="button button--small"
                        onclick={props.on_dismiss.reform(|_| ())}>{ "Dismiss" }</button>
            }
        </div>
    }
}
