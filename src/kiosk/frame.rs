//! The frame of every kiosk screen: the kiosk's layout, its set-up gate and idle reset, and for
//! a step of a flow its count, title and the Back, Start over and Next buttons.

use super::fields::text;
use super::idle::IdleReset;
use crate::i18n::{use_i18n, Msg};
use crate::layout::KioskLayout;
use crate::pages::DeviceGate;
use lane_domain::device::DeviceKind;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// A kiosk screen that a customer works in: it starts over when left idle.
#[component]
pub fn KioskScreen(children: ChildrenFn) -> impl IntoView {
    view! {
        <KioskLayout>
            <DeviceGate kind=DeviceKind::Kiosk>
                <IdleReset />
                {children()}
            </DeviceGate>
        </KioskLayout>
    }
}

/// One step of a flow. `next` is the primary action (labelled `next_label`, Next by default);
/// without it the step's own buttons move on.
#[component]
pub fn Step(
    title: Msg,
    step: u8,
    total: u8,
    back: Callback<()>,
    #[prop(optional)] next: Option<Callback<()>>,
    #[prop(optional)] next_label: Option<Msg>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = text(move || i18n.t_with(Msg::KioskNavStep, &[("step", &step.to_string()), ("total", &total.to_string())]));
    view! {
        <section class="kiosk-step" aria-labelledby="step-title">
            <p class="step-count">{count}</p>
            <h1 id="step-title">{i18n.msg(title)}</h1>
            {children()}
            <div class="step-actions">
                <button type="button" on:click=move |_| back.run(())>{i18n.msg(Msg::KioskNavBack)}</button>
                <A href="/kiosk" attr:class="button">{i18n.msg(Msg::KioskNavCancel)}</A>
                {next.map(|next| view! {
                    <button type="button" class="primary" on:click=move |_| next.run(())>
                        {i18n.msg(next_label.unwrap_or(Msg::KioskNavNext))}
                    </button>
                })}
            </div>
        </section>
    }
}

/// Where a flow is among its `total` stages, and the moves between them: Back from the first
/// stage, and Done at the end, leave for the start screen.
#[derive(Clone, Copy)]
pub struct Flow {
    pub at: RwSignal<usize>,
    total: usize,
    pub leave: Callback<()>,
}

impl Flow {
    pub fn new(total: usize) -> Flow {
        let navigate = use_navigate();
        Flow { at: RwSignal::new(0), total, leave: Callback::new(move |_| navigate("/kiosk", Default::default())) }
    }

    /// The stage shown (tracked).
    pub fn here(self) -> usize {
        self.at.get()
    }

    pub fn back(self) -> Callback<()> {
        let here = self.at.get_untracked();
        if here == 0 { self.leave } else { Callback::new(move |_| self.at.set(here - 1)) }
    }

    pub fn next(self) -> Callback<()> {
        let here = self.at.get_untracked();
        Callback::new(move |_| self.at.set(here + 1))
    }

    /// The shown stage's number, from 1, and how many there are, for [`Step`].
    pub fn count(self) -> (u8, u8) {
        (self.at.get_untracked() as u8 + 1, self.total as u8)
    }
}
