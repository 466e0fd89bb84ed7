//! The widget's stylesheet, one file per part under `styles/`, placed inside each widget's
//! shadow root so host CSS cannot reach it and it cannot leak out.

/// All of the widget's CSS, in cascade order.
pub const STYLES: &str = concat!(
    include_str!("../styles/theme.css"),
    include_str!("../styles/widget.css"),
    include_str!("../styles/campaign.css"),
    include_str!("../styles/quest.css"),
    include_str!("../styles/popup.css"),
);
