//! The drawings of the car: one per [`CarView`], each zone a shape on it. All share one 600 x 320
//! canvas, drawn at 1 CSS pixel a unit or more on a tablet, and every zone spans at least 56 units
//! each way, so it stays a 48 px target even if the drawing is shrunk a little. Shapes that
//! overlap (a wheel in its wing) are listed under the one on top, and every zone's middle is on the
//! zone itself: a tap aimed at a zone's centre lands on it.

use lane_domain::walkaround::{CarView, Zone};

pub const WIDTH: f32 = 600.0;
pub const HEIGHT: f32 = 320.0;

/// A zone as drawn: its outline (SVG path data) and where its marks are pinned.
pub struct Shape {
    pub zone: Zone,
    pub path: &'static str,
    pub pin: (f32, f32),
    /// Named on the drawing, under the pin: the interior's parts are not recognisable by shape alone.
    pub named: bool,
}

pub struct Drawing {
    /// The car's outline, under the zones.
    pub body: &'static [&'static str],
    /// In drawing order: a later shape covers an earlier one.
    pub zones: &'static [Shape],
    /// Windows, lamps, hubs: over the zones, and taps pass through them.
    pub details: &'static [&'static str],
    /// The right side is the left side's drawing, mirrored.
    pub mirrored: bool,
}

/// The views in the order of the walk around the car (DOMAIN.md step 4: left side and roof, right
/// side, the front, the boot, the interior).
pub const VIEWS: [CarView; 6] = [CarView::Left, CarView::Top, CarView::Right, CarView::Front, CarView::Rear, CarView::Interior];

pub fn drawing(view: CarView) -> &'static Drawing {
    match view {
        CarView::Top => &TOP,
        CarView::Front => &FRONT,
        CarView::Rear => &REAR,
        CarView::Left => &LEFT,
        CarView::Right => &RIGHT,
        CarView::Interior => &INTERIOR,
    }
}

/// Where a pin goes on the canvas: a mirrored drawing's pins are mirrored too (but their numbers
/// are not, so they are placed outside the mirrored group).
pub fn pin(drawing: &Drawing, shape: &Shape) -> (f32, f32) {
    let (x, y) = shape.pin;
    if drawing.mirrored { (WIDTH - x, y) } else { (x, y) }
}

// The side, front at the left, as seen from the car's left.
const SIDE_BODY: &str = "M20,258 L20,180 Q22,150 60,142 L165,132 L218,70 Q226,62 246,62 L398,62 Q416,62 428,78 L458,132 L555,142 Q580,146 580,180 L580,258 Z";
const FRONT_WING: &str = "M20,258 L20,180 Q22,150 60,142 L170,132 L170,258 Z";
const FRONT_DOOR: &str = "M170,132 L220,72 L305,66 L305,242 L170,242 Z";
const REAR_DOOR: &str = "M305,66 L395,66 Q412,66 424,82 L452,132 L452,242 L305,242 Z";
const REAR_WING: &str = "M452,132 L555,142 Q580,146 580,180 L580,258 L452,258 Z";
const SILL: &str = "M142,242 L458,242 L458,298 L142,298 Z";
const MIRROR: &str = "M146,116 Q146,100 162,100 L204,100 L204,156 L162,156 Q146,156 146,140 Z";
const FRONT_WHEEL: &str = "M58,258 a42,42 0 1,0 84,0 a42,42 0 1,0 -84,0 Z";
const REAR_WHEEL: &str = "M458,258 a42,42 0 1,0 84,0 a42,42 0 1,0 -84,0 Z";
const SIDE_DETAILS: &[&str] = &[
    "M186,128 L224,78 L298,74 L298,128 Z",
    "M312,74 L392,74 Q406,74 416,88 L440,128 L312,128 Z",
    "M276,156 L296,156",
    "M418,156 L438,156",
    "M22,170 L50,164 L52,184 L22,188 Z",
    "M564,158 L579,160 L579,192 L564,192 Z",
    "M84,258 a16,16 0 1,0 32,0 a16,16 0 1,0 -32,0 Z",
    "M484,258 a16,16 0 1,0 32,0 a16,16 0 1,0 -32,0 Z",
];

static LEFT: Drawing = Drawing {
    body: &[SIDE_BODY],
    zones: &[
        Shape { zone: Zone::LeftFrontWing, path: FRONT_WING, pin: (95.0, 176.0), named: false },
        Shape { zone: Zone::LeftFrontDoor, path: FRONT_DOOR, pin: (248.0, 190.0), named: false },
        Shape { zone: Zone::LeftRearDoor, path: REAR_DOOR, pin: (378.0, 190.0), named: false },
        Shape { zone: Zone::LeftRearWing, path: REAR_WING, pin: (516.0, 176.0), named: false },
        Shape { zone: Zone::LeftSill, path: SILL, pin: (300.0, 270.0), named: false },
        Shape { zone: Zone::LeftMirror, path: MIRROR, pin: (175.0, 129.0), named: false },
        Shape { zone: Zone::LeftFrontWheel, path: FRONT_WHEEL, pin: (100.0, 258.0), named: false },
        Shape { zone: Zone::LeftRearWheel, path: REAR_WHEEL, pin: (500.0, 258.0), named: false },
    ],
    details: SIDE_DETAILS,
    mirrored: false,
};

static RIGHT: Drawing = Drawing {
    body: &[SIDE_BODY],
    zones: &[
        Shape { zone: Zone::RightFrontWing, path: FRONT_WING, pin: (95.0, 176.0), named: false },
        Shape { zone: Zone::RightFrontDoor, path: FRONT_DOOR, pin: (248.0, 190.0), named: false },
        Shape { zone: Zone::RightRearDoor, path: REAR_DOOR, pin: (378.0, 190.0), named: false },
        Shape { zone: Zone::RightRearWing, path: REAR_WING, pin: (516.0, 176.0), named: false },
        Shape { zone: Zone::RightSill, path: SILL, pin: (300.0, 270.0), named: false },
        Shape { zone: Zone::RightMirror, path: MIRROR, pin: (175.0, 129.0), named: false },
        Shape { zone: Zone::RightFrontWheel, path: FRONT_WHEEL, pin: (100.0, 258.0), named: false },
        Shape { zone: Zone::RightRearWheel, path: REAR_WHEEL, pin: (500.0, 258.0), named: false },
    ],
    details: SIDE_DETAILS,
    mirrored: true,
};

// From above, front at the left.
static TOP: Drawing = Drawing {
    body: &["M25,115 Q25,50 82,50 L545,54 Q580,60 580,115 L580,205 Q580,260 545,266 L82,270 Q25,270 25,205 Z"],
    zones: &[
        Shape { zone: Zone::Bonnet, path: "M25,115 Q25,58 82,54 L190,54 L190,266 L82,266 Q25,262 25,205 Z", pin: (107.0, 160.0), named: false },
        Shape { zone: Zone::Roof, path: "M245,68 L420,68 L420,252 L245,252 Z", pin: (332.0, 160.0), named: false },
        Shape { zone: Zone::Boot, path: "M465,58 L545,58 Q578,62 578,115 L578,205 Q578,258 545,262 L465,262 Z", pin: (520.0, 160.0), named: false },
    ],
    details: &[
        "M190,58 L245,68 L245,252 L190,262 Z",
        "M420,68 L465,58 L465,262 L420,252 Z",
        "M196,54 L212,30 L232,36 L222,54 Z",
        "M196,266 L212,290 L232,284 L222,266 Z",
    ],
    mirrored: false,
};

// Facing the car: its left is on the viewer's right.
const END_BODY: &[&str] = &[
    "M160,40 L440,40 L482,132 L118,132 Z",
    "M118,132 L482,132 L510,160 L510,284 Q510,292 500,292 L100,292 Q90,292 90,284 L90,160 Z",
    "M112,292 L162,292 L162,312 L112,312 Z",
    "M438,292 L488,292 L488,312 L438,312 Z",
];
const BUMPER: &str = "M90,230 L510,230 L510,284 Q510,292 500,292 L100,292 Q90,292 90,284 Z";
const GLASS: &str = "M168,48 L432,48 L472,132 L128,132 Z";
const LAMP_VIEWER_LEFT: &str = "M100,156 L205,156 L205,218 L110,218 Q100,208 100,194 Z";
const LAMP_VIEWER_RIGHT: &str = "M395,156 L500,156 L500,194 Q500,208 490,218 L395,218 Z";

static FRONT: Drawing = Drawing {
    body: END_BODY,
    zones: &[
        Shape { zone: Zone::Windscreen, path: GLASS, pin: (300.0, 90.0), named: false },
        Shape { zone: Zone::RightHeadlight, path: LAMP_VIEWER_LEFT, pin: (152.0, 187.0), named: false },
        Shape { zone: Zone::Grille, path: "M215,160 L385,160 L375,222 L225,222 Z", pin: (300.0, 191.0), named: false },
        Shape { zone: Zone::LeftHeadlight, path: LAMP_VIEWER_RIGHT, pin: (448.0, 187.0), named: false },
        Shape { zone: Zone::FrontBumper, path: BUMPER, pin: (300.0, 261.0), named: false },
    ],
    details: &["M78,112 L116,118 L112,142 L80,140 Z", "M522,112 L484,118 L488,142 L520,140 Z", "M235,176 L365,176", "M238,192 L362,192", "M241,208 L359,208"],
    mirrored: false,
};

// From behind: the car's left is on the viewer's left.
static REAR: Drawing = Drawing {
    body: END_BODY,
    zones: &[
        Shape { zone: Zone::RearWindow, path: GLASS, pin: (300.0, 90.0), named: false },
        Shape { zone: Zone::LeftTailLight, path: LAMP_VIEWER_LEFT, pin: (152.0, 187.0), named: false },
        Shape { zone: Zone::RightTailLight, path: LAMP_VIEWER_RIGHT, pin: (448.0, 187.0), named: false },
        Shape { zone: Zone::RearBumper, path: BUMPER, pin: (300.0, 261.0), named: false },
    ],
    details: &["M250,166 L350,166 L350,204 L250,204 Z", "M78,112 L116,118 L112,142 L80,140 Z", "M522,112 L484,118 L488,142 L520,140 Z"],
    mirrored: false,
};

// The cabin cut open along the car's left, front at the left: the far side's door trims show
// between the seats.
static INTERIOR: Drawing = Drawing {
    body: &[SIDE_BODY],
    zones: &[
        Shape { zone: Zone::DoorTrims, path: "M180,132 L472,132 L472,240 L180,240 Z", pin: (290.0, 152.0), named: true },
        Shape { zone: Zone::Carpets, path: "M150,240 L520,240 L520,296 L150,296 Z", pin: (335.0, 254.0), named: true },
        Shape { zone: Zone::Dashboard, path: "M40,156 Q60,114 150,110 L176,110 L176,206 L60,206 Q40,196 40,180 Z", pin: (104.0, 142.0), named: true },
        Shape {
            zone: Zone::Seats,
            path: "M250,200 L345,200 L345,240 L250,240 Z M352,112 L386,112 L380,240 L340,240 Z M400,200 L470,200 L470,240 L400,240 Z M468,116 L496,116 L490,240 L458,240 Z",
            pin: (296.0, 200.0),
            named: true,
        },
        Shape { zone: Zone::SteeringWheel, path: "M176,146 a30,30 0 1,0 60,0 a30,30 0 1,0 -60,0 Z", pin: (206.0, 146.0), named: false },
        Shape { zone: Zone::Headliner, path: "M196,106 L226,56 Q234,48 250,48 L400,48 Q418,48 430,62 L458,106 Z", pin: (327.0, 64.0), named: true },
    ],
    details: &["M186,146 L226,146", "M206,146 L206,172"],
    mirrored: false,
};
