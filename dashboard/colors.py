"""One colour per platform on every page: Okabe–Ito and Tol palettes, safe for colour-blind readers."""

PLATFORM_COLORS = {
    "x": "#000000",
    "google": "#E69F00",
    "google_other": "#E69F00",
    "youtube": "#D55E00",
    "meta": "#56B4E9",
    "facebook": "#0072B2",
    "instagram": "#CC79A7",
    "whatsapp": "#117733",
    "tiktok": "#009E73",
    "telegram": "#88CCEE",
    "likee": "#999933",
    "bigo_likee": "#999933",
    "snackvideo": "#882255",
    "dailymotion": "#44AA99",
    "websites": "#999999",
    "wikipedia": "#666666",
    None: "#555555",  # PTA totals across platforms
}
SOURCE_ORG_COLORS = {
    "PIPS": "#0072B2",
    "PICSS": "#D55E00",
    "SATP": "#009E73",
    "ACLED (event data)": "#CC79A7",
    "UCDP GED (event data)": "#E69F00",
    "GTD (event data)": "#56B4E9",
    "ACLED events (monthly)": "#CC79A7",
    "UCDP GED events (monthly)": "#E69F00",
    "GTD events (monthly)": "#56B4E9",
}
#: One colour per militant group on every chart (Okabe–Ito; the buckets in greys).
GROUP_COLORS = {
    "TTP": "#D55E00",
    "BLA": "#0072B2",
    "BLF": "#56B4E9",
    "ISKP": "#000000",
    "LeJ": "#CC79A7",
    "JuA": "#E69F00",
    "other": "#999999",
    "unknown": "#CCCCCC",
    "state": "#7F3C8D",
    "none": "#009E73",
}
SEQUENCE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#999999",
    "#882255",
    "#44AA99",
]
SUPPRESSED_COLOR = "#7f7f7f"


def platform_color(platform_id: str | None) -> str:
    return PLATFORM_COLORS.get(platform_id, "#555555")
