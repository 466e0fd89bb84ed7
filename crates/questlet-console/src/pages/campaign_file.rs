//! A campaign as a file: export downloads the campaign document (the same JSON the API
//! reads and writes, for campaign-as-code), import reads one and saves it over the campaign
//! like any edit (with the version it was read at), so the server validates it and a stale
//! import shows the conflict.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::CampaignDocument;
use wasm_bindgen::JsCast;

use crate::texts;

/// The export and import buttons of a campaign.
#[component]
pub fn CampaignFile(
    /// The campaign as read.
    document: CampaignDocument,
    /// Whether a save is running.
    saving: RwSignal<bool>,
    /// Replaces the campaign with an imported document (saved as any edit).
    import: Callback<CampaignDocument>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let picker = NodeRef::<leptos::html::Input>::new();
    let slug = document.slug.clone();
    let export = move |_| {
        if let Err(reason) = download(&document) {
            error.set(Some(reason));
        }
    };
    let chosen = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same file can be chosen again after a refused import.
        input.set_value("");
        let slug = slug.clone();
        error.set(None);
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string());
            let Some(text) = text else {
                error.set(Some(texts::IMPORT_UNREADABLE.to_owned()));
                return;
            };
            match serde_json::from_str::<CampaignDocument>(&text) {
                // The file's campaign goes where it was imported: its slug is this campaign's.
                Ok(mut imported) => {
                    imported.slug = slug;
                    import.run(imported);
                }
                Err(e) => error.set(Some(texts::import_invalid(&e.to_string()))),
            }
        });
    };

    view! {
        <section class="qc-card" aria-labelledby="qc-file-title">
            <h2 id="qc-file-title">{texts::CAMPAIGN_FILE}</h2>
            <p class="qc-note">{texts::CAMPAIGN_FILE_HELP}</p>
            <div class="qc-row qc-wrap">
                <button class="qc-button" type="button" data-action="export" on:click=export>
                    {texts::EXPORT}
                </button>
                <button class="qc-button" type="button" data-action="import"
                    disabled=move || saving.get()
                    on:click=move |_| if let Some(input) = picker.get() { input.click() }>
                    {texts::IMPORT}
                </button>
                // Opened by the button above: a file input cannot be styled as one.
                <input id="qc-import" node_ref=picker class="qc-hidden" type="file" tabindex="-1"
                    aria-label=texts::IMPORT accept="application/json,.json" on:change=chosen />
            </div>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </section>
    }
}

/// Downloads `document` as `<slug>.json`.
fn download(document: &CampaignDocument) -> Result<(), String> {
    let failed = |_| texts::EXPORT_FAILED.to_owned();
    let json = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let link: web_sys::HtmlAnchorElement = document_element("a")?;
    link.set_href(&url);
    link.set_download(&format!("{}.json", document.slug));
    link.click();
    // Released once the download has had time to start with it.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// A new element of the page's document, as `T`.
fn document_element<T: JsCast>(tag: &str) -> Result<T, String> {
    leptos::prelude::document()
        .create_element(tag)
        .ok()
        .and_then(|el| el.dyn_into::<T>().ok())
        .ok_or_else(|| texts::EXPORT_FAILED.to_owned())
}
