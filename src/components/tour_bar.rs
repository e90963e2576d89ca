use yew::prelude::*;

use crate::state::Action;
use crate::tour;

#[derive(Properties, PartialEq)]
pub struct TourBarProps {
    /// Index of the open step.
    pub step: usize,
    pub on_action: Callback<Action>,
}

/// The guided tour's bar. Back and Next sit at the same place on every
/// step, whatever the length of the text, so a presenter can click without
/// looking.
#[function_component]
pub fn TourBar(props: &TourBarProps) -> Html {
    let steps = tour::steps();
    let index = props.step.min(steps.len() - 1);
    let step = &steps[index];
    let first = index == 0;
    let last = index + 1 == steps.len();
    html! {
        <section class="tour" aria-labelledby="tour-title" data-testid="tour">
            <button type="button" class="button tour__back" disabled={first} data-testid="tour-back"
                    onclick={props.on_action.reform(|_: MouseEvent| Action::TourBack)}>{ "Back" }</button>
            <div class="tour__body">
                <p class="tour__progress" data-testid="tour-progress">
                    { format!("Step {} of {}", index + 1, steps.len()) }
                </p>
                <h2 id="tour-title">{ step.title }</h2>
                <p class="tour__text">{ step.text }</p>
            </div>
            <div class="tour__end">
                <button type="button" class="button button--primary tour__next" disabled={last} data-testid="tour-next"
                        onclick={props.on_action.reform(|_: MouseEvent| Action::TourNext)}>{ "Next" }</button>
                <button type="button" class="button button--small" data-testid="tour-close"
                        onclick={props.on_action.reform(|_: MouseEvent| Action::CloseTour)}>{ "End tour" }</button>
            </div>
        </section>
    }
}
