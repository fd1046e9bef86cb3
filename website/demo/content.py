"""Demo content for the public site, in English and Hindi, written for Sakhi.

Every text is a pair: (English, Hindi). Nothing here describes a real person.
"""

SERVICES = [
    (
        ("Short stay", "अल्प प्रवास"),
        ("A safe place to stay for up to five days.", "पाँच दिन तक रहने के लिए सुरक्षित स्थान।"),
    ),
    (
        ("Medical aid", "चिकित्सा सहायता"),
        ("Doctors and nurses at the nearby hospital.", "पास के अस्पताल में डॉक्टर और नर्स।"),
    ),
    (
        ("Legal aid", "कानूनी सहायता"),
        ("Free advice from a lawyer.", "वकील से निःशुल्क सलाह।"),
    ),
    (
        ("Police help", "पुलिस सहायता"),
        ("Help to file a complaint, with a woman officer.", "महिला अधिकारी के साथ शिकायत दर्ज कराने में सहायता।"),
    ),
    (
        ("Counselling", "परामर्श"),
        ("Someone to talk to, in confidence.", "गोपनीय रूप से बात करने के लिए कोई साथी।"),
    ),
    (
        ("Training", "प्रशिक्षण"),
        ("Free vocational courses and help to find work.", "निःशुल्क व्यावसायिक पाठ्यक्रम और काम ढूँढने में सहायता।"),
    ),
]

HOME = {
    "title": ("Home", "मुखपृष्ठ"),
    "hero_title": ("Learn a skill. Earn your own income.", "हुनर सीखें। अपनी कमाई करें।"),
    "hero_text": (
        "Sakhi centres offer free courses in tailoring, jute handiwork, retail, beauty and wellness, "
        "tie-and-dye, hotel management and food processing, and help you find a job or start "
        "your own business.",
        "सखी केंद्र सिलाई, जूट हस्तशिल्प, खुदरा, सौंदर्य एवं कल्याण, बांधनी, होटल प्रबंधन और खाद्य "
        "प्रसंस्करण के निःशुल्क पाठ्यक्रम चलाते हैं, और नौकरी पाने या अपना काम शुरू करने में मदद करते हैं।",
    ),
}

INDEXES = {
    "news": {
        "title": ("News", "समाचार"),
        "intro": (
            "What is happening at the centres: new courses, graduations and placement drives.",
            "केंद्रों की खबरें: नए पाठ्यक्रम, प्रमाणपत्र समारोह और रोज़गार मेले।",
        ),
    },
    "courses": {
        "title": ("Courses", "पाठ्यक्रम"),
        "intro": (
            "Free courses starting soon. Seats are limited.",
            "जल्द शुरू होने वाले निःशुल्क पाठ्यक्रम। सीटें सीमित हैं।",
        ),
    },
    "centres": {
        "title": ("Centres", "केंद्र"),
        "intro": (
            "Find a centre near you. Every centre can be reached through the women helpline 181.",
            "अपने पास का केंद्र खोजें। हर केंद्र से महिला हेल्पलाइन 181 के ज़रिए संपर्क किया जा सकता है।",
        ),
    },
}

CENTRE_INTRO = (
    "The centre supports women in one place: a safe stay, medical and legal aid, counselling, "
    "and free training for a new livelihood.",
    "केंद्र एक ही जगह पर महिलाओं की सहायता करता है: सुरक्षित ठहराव, चिकित्सा और कानूनी सहायता, परामर्श, "
    "और नई आजीविका के लिए निःशुल्क प्रशिक्षण।",
)

NEWS = [
    {
        "slug": "tailoring-graduates-lucknow",
        "days_ago": 12,
        "tags": [("training", "प्रशिक्षण"), ("lucknow", "लखनऊ")],
        "title": (
            "Sixty women complete tailoring course in Lucknow",
            "लखनऊ में साठ महिलाओं ने सिलाई पाठ्यक्रम पूरा किया",
        ),
        "intro": (
            "Three tailoring batches finished this year at the Lucknow centre, with a small "
            "ceremony where each trainee received her certificate.",
            "लखनऊ केंद्र में इस वर्ष सिलाई के तीन बैच पूरे हुए। एक छोटे समारोह में हर प्रशिक्षु को उसका प्रमाणपत्र दिया गया।",
        ),
        "body": [
            (
                "The course ran for three months, five mornings a week. Trainees learnt to take "
                "measurements, cut patterns and stitch blouses, kurtas and school uniforms.",
                "पाठ्यक्रम तीन महीने चला, सप्ताह में पाँच दिन सुबह। प्रशिक्षुओं ने नाप लेना, कटिंग करना और "
                "ब्लाउज़, कुर्ते तथा स्कूल की वर्दी सिलना सीखा।",
            ),
            (
                "Several graduates have already taken orders from neighbours. The centre lends "
                "sewing machines for the first months to those who need one.",
                "कई प्रशिक्षु पड़ोसियों से ऑर्डर लेने लगी हैं। जिन्हें ज़रूरत है, उन्हें केंद्र शुरुआती महीनों के लिए सिलाई मशीन देता है।",
            ),
        ],
        "quote": (
            "I can now pay my children's school fees myself.",
            "अब मैं अपने बच्चों की स्कूल फ़ीस खुद भर सकती हूँ।",
        ),
    },
    {
        "slug": "placement-drive-patna",
        "days_ago": 25,
        "tags": [("placements", "नौकरियाँ"), ("patna", "पटना")],
        "title": (
            "Placement drive brings eight employers to Patna",
            "पटना में रोज़गार मेले में आठ नियोक्ता पहुँचे",
        ),
        "intro": (
            "Garment units, a hotel and two retail chains met trainees who had finished their "
            "courses and chose to meet employers.",
            "परिधान इकाइयों, एक होटल और दो खुदरा कंपनियों ने उन प्रशिक्षुओं से मुलाकात की जिन्होंने पाठ्यक्रम "
            "पूरा किया था और नियोक्ताओं से मिलना चाहा।",
        ),
        "body": [
            (
                "Only trainees who agreed to share their profile took part. Employers saw a first "
                "name, a trade and a certificate number, and nothing else.",
                "केवल वही प्रशिक्षु शामिल हुईं जिन्होंने अपनी जानकारी साझा करने की सहमति दी। नियोक्ताओं को केवल "
                "पहला नाम, व्यवसाय और प्रमाणपत्र संख्या दिखाई गई।",
            ),
            (
                "Interviews continue at the centre next week. Offers are discussed with each "
                "trainee before she decides.",
                "अगले सप्ताह केंद्र पर साक्षात्कार जारी रहेंगे। हर प्रस्ताव पर निर्णय से पहले प्रशिक्षु से बात की जाती है।",
            ),
        ],
    },
    {
        "slug": "jute-handiwork-exhibition",
        "days_ago": 40,
        "tags": [("training", "प्रशिक्षण"), ("self-employment", "स्वरोज़गार")],
        "title": (
            "Jute bags from the centre sell out at district fair",
            "ज़िला मेले में केंद्र के जूट थैले हाथों-हाथ बिके",
        ),
        "intro": (
            "Trainees of the jute handiwork course ran their own stall and sold bags, mats and "
            "folders made during the course.",
            "जूट हस्तशिल्प पाठ्यक्रम की प्रशिक्षुओं ने अपना स्टॉल लगाया और पाठ्यक्रम में बने थैले, चटाइयाँ और फ़ोल्डर बेचे।",
        ),
        "body": [
            (
                "The stall was planned, priced and run by the trainees themselves, as part of the "
                "course's lessons on selling.",
                "स्टॉल की योजना, कीमत और संचालन प्रशिक्षुओं ने खुद किया, जो पाठ्यक्रम के बिक्री वाले पाठ का हिस्सा था।",
            ),
            (
                "A self-help group formed at the fair will keep making bags for a local shop.",
                "मेले में बना एक स्वयं सहायता समूह एक स्थानीय दुकान के लिए थैले बनाता रहेगा।",
            ),
        ],
    },
    {
        "slug": "new-beauty-and-wellness-batch",
        "days_ago": 55,
        "tags": [("courses", "पाठ्यक्रम")],
        "title": (
            "New beauty and wellness batch opens in Buxar",
            "बक्सर में सौंदर्य एवं कल्याण का नया बैच शुरू",
        ),
        "intro": (
            "The Buxar centre starts its first beauty and wellness course, taught by a trainer "
            "from a local salon.",
            "बक्सर केंद्र में पहला सौंदर्य एवं कल्याण पाठ्यक्रम शुरू हो रहा है, जिसे एक स्थानीय सैलून की प्रशिक्षक पढ़ाएँगी।",
        ),
        "body": [
            (
                "The course covers hygiene, skin and hair care, and how to run a small home salon.",
                "पाठ्यक्रम में स्वच्छता, त्वचा और बालों की देखभाल, और घर से छोटा सैलून चलाने की जानकारी दी जाएगी।",
            ),
            (
                "To join, visit the centre or call the women helpline 181.",
                "शामिल होने के लिए केंद्र पर आएँ या महिला हेल्पलाइन 181 पर फ़ोन करें।",
            ),
        ],
    },
    {
        "slug": "hotel-management-internships",
        "days_ago": 70,
        "tags": [("placements", "नौकरियाँ")],
        "title": (
            "Hotel management trainees begin internships",
            "होटल प्रबंधन प्रशिक्षुओं की इंटर्नशिप शुरू",
        ),
        "intro": (
            "Twelve trainees started paid internships in front office and housekeeping at two "
            "hotels in the city.",
            "बारह प्रशिक्षुओं ने शहर के दो होटलों में फ़्रंट ऑफ़िस और हाउसकीपिंग में सवेतन इंटर्नशिप शुरू की।",
        ),
        "body": [
            (
                "The centre's coordinator checks in with each intern every month, with her consent, "
                "to see how the work is going.",
                "केंद्र की समन्वयक हर महीने, प्रशिक्षु की सहमति से, उससे बात करती हैं कि काम कैसा चल रहा है।",
            ),
        ],
    },
    {
        "slug": "food-processing-leh",
        "days_ago": 90,
        "tags": [("training", "प्रशिक्षण"), ("leh", "लेह")],
        "title": (
            "Apricot jam and pickles: food processing course in Leh",
            "खुबानी का जैम और अचार: लेह में खाद्य प्रसंस्करण पाठ्यक्रम",
        ),
        "intro": (
            "Women in Leh learnt to preserve apricots and vegetables safely and to label and "
            "sell what they make.",
            "लेह में महिलाओं ने खुबानी और सब्ज़ियों को सुरक्षित रूप से संरक्षित करना और अपने उत्पादों पर लेबल लगाकर बेचना सीखा।",
        ),
        "body": [
            (
                "The course included food safety rules and the licence a small producer needs.",
                "पाठ्यक्रम में खाद्य सुरक्षा के नियम और छोटे उत्पादक के लिए ज़रूरी लाइसेंस की जानकारी शामिल थी।",
            ),
        ],
    },
]

COURSE_ANNOUNCEMENTS = [
    # (trade slug, centre slug, starts in days, length in days, seats, English title, Hindi title)
    ("tailoring", "lucknow", 14, 90, 30, "Tailoring, morning batch", "सिलाई, सुबह का बैच"),
    ("jute-handiwork", "lucknow", 21, 60, 25, "Jute handiwork", "जूट हस्तशिल्प"),
    ("retail-marketing", "patna-1", 10, 45, 25, "Retail marketing", "खुदरा विपणन"),
    ("beauty-and-wellness", "buxar", 7, 75, 20, "Beauty and wellness", "सौंदर्य एवं कल्याण"),
    ("tie-and-dye", "patna-2", 30, 30, 20, "Tie-and-dye", "बांधनी (टाई एंड डाई)"),
    ("hotel-management", "lucknow", 35, 120, 20, "Hotel management: front office", "होटल प्रबंधन: फ़्रंट ऑफ़िस"),
    ("food-processing", "leh", 45, 60, 15, "Food processing", "खाद्य प्रसंस्करण"),
]

COURSE_ELIGIBILITY = (
    "<p>Women aged 18 or over. No school certificate is needed. The course, materials and "
    "a daily travel allowance are free.</p>",
    "<p>18 वर्ष या उससे अधिक आयु की महिलाएँ। स्कूल प्रमाणपत्र ज़रूरी नहीं है। पाठ्यक्रम, सामग्री और दैनिक "
    "यात्रा भत्ता निःशुल्क है।</p>",
)
COURSE_INTRO = (
    "A free course with a certificate at the end, and help to find work or start a business.",
    "अंत में प्रमाणपत्र के साथ निःशुल्क पाठ्यक्रम, और नौकरी ढूँढने या अपना काम शुरू करने में सहायता।",
)

STANDARD_PAGES = [
    {
        "slug": "about",
        "in_menu": True,
        "title": ("About Sakhi", "सखी के बारे में"),
        "intro": (
            "Sakhi centres help women who have faced violence to rebuild their lives.",
            "सखी केंद्र हिंसा का सामना कर चुकी महिलाओं को अपना जीवन फिर से संवारने में मदद करते हैं।",
        ),
        "body": [
            (
                "One Stop Centres, also called Sakhi centres, offer shelter, medical and legal aid, "
                "police help and counselling under one roof. Once a woman is ready, the centre also "
                "offers free vocational training and helps her find paid work or start a business.",
                "वन स्टॉप सेंटर, जिन्हें सखी केंद्र भी कहते हैं, एक ही छत के नीचे आश्रय, चिकित्सा और कानूनी "
                "सहायता, पुलिस सहायता और परामर्श देते हैं। जब महिला तैयार हो, तो केंद्र निःशुल्क व्यावसायिक "
                "प्रशिक्षण भी देता है और वेतन वाली नौकरी या अपना काम शुरू करने में मदद करता है।",
            ),
        ],
    },
    {
        "slug": "browse-safely",
        "in_menu": True,
        "title": ("How to browse safely", "सुरक्षित ब्राउज़िंग कैसे करें"),
        "intro": (
            "If someone may check your phone or computer, these steps help keep your visit private.",
            "अगर कोई आपका फ़ोन या कंप्यूटर देख सकता है, तो ये कदम आपकी विज़िट को निजी रखने में मदद करते हैं।",
        ),
        "body": [
            (
                "Use the Quick exit button at the top of every page, or press the Shift key three "
                "times. It opens a weather page in place of the page you are on, so the Back button "
                "does not return to that page.",
                "हर पेज के ऊपर दिए गए त्वरित निकास बटन का उपयोग करें, या Shift कुंजी तीन बार दबाएँ। इससे आप "
                "जिस पेज पर हैं उसकी जगह मौसम का पेज खुल जाता है, ताकि Back बटन उस पेज पर वापस न ले जाए।",
            ),
            (
                "What Quick exit cannot erase: the other pages of this site you opened before, which "
                "stay in your browser's history and can be reached with Back; files you downloaded; "
                "other tabs you opened; and what your browser suggests when you type a web address. "
                "For these, use a private window or clear your history as shown below.",
                "त्वरित निकास क्या नहीं मिटा सकता: इस साइट के वे दूसरे पेज जो आपने पहले खोले थे, वे ब्राउज़र के "
                "इतिहास में रहते हैं और Back बटन से खुल सकते हैं; आपकी डाउनलोड की हुई फ़ाइलें; आपके खोले हुए "
                "दूसरे टैब; और वेब पता लिखते समय ब्राउज़र के सुझाव। इनके लिए निजी विंडो का उपयोग करें या नीचे "
                "बताए अनुसार इतिहास मिटा दें।",
            ),
            (
                "Use a private or incognito window, so that the pages you visit are not saved. Clear "
                "your browsing history if you cannot use a private window. Remember that call logs "
                "on a phone can also be seen: the helpline 181 is free and can be deleted from the "
                "call list.",
                "निजी (इनकॉग्निटो) विंडो का उपयोग करें, ताकि देखे गए पेज सहेजे न जाएँ। यदि निजी विंडो संभव न हो "
                "तो ब्राउज़िंग इतिहास मिटा दें। याद रखें कि फ़ोन की कॉल सूची भी देखी जा सकती है: हेल्पलाइन 181 "
                "निःशुल्क है और उसे कॉल सूची से हटाया जा सकता है।",
            ),
        ],
    },
    {
        "slug": "privacy",
        "in_menu": False,
        "title": ("Privacy", "गोपनीयता"),
        "intro": (
            "This site sets no tracking cookies and uses no analytics or third-party scripts.",
            "यह साइट कोई ट्रैकिंग कुकी नहीं लगाती और कोई विश्लेषण या बाहरी स्क्रिप्ट उपयोग नहीं करती।",
        ),
        "body": [
            (
                "The centres keep trainee records for their work only. No information about any "
                "trainee is published. A certificate check shows only what the certificate itself "
                "says. Employers see a trainee only after she agrees.",
                "केंद्र प्रशिक्षुओं का रिकॉर्ड केवल अपने काम के लिए रखते हैं। किसी प्रशिक्षु की जानकारी प्रकाशित "
                "नहीं की जाती। प्रमाणपत्र की जाँच में केवल वही दिखता है जो प्रमाणपत्र पर लिखा है। नियोक्ता किसी "
                "प्रशिक्षु को उसकी सहमति के बाद ही देख सकते हैं।",
            ),
        ],
    },
    {
        "slug": "accessibility",
        "in_menu": False,
        "title": ("Accessibility statement", "सुगम्यता वक्तव्य"),
        "intro": (
            "We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.",
            "हमारा लक्ष्य वेब सामग्री सुगम्यता दिशानिर्देश (WCAG) 2.1 के AA स्तर को पूरा करना है।",
        ),
        "body": [
            (
                "Every page works with a keyboard alone and with screen readers, in English and "
                "Hindi. If something does not work for you, tell the centre or call 181.",
                "हर पेज केवल कीबोर्ड से और स्क्रीन रीडर के साथ, अंग्रेज़ी और हिंदी में, काम करता है। यदि कुछ "
                "काम न करे तो केंद्र को बताएँ या 181 पर फ़ोन करें।",
            ),
        ],
    },
    {
        "slug": "terms",
        "in_menu": False,
        "title": ("Terms of use", "उपयोग की शर्तें"),
        "intro": (
            "The information on this site is provided free of charge by the centres.",
            "इस साइट की जानकारी केंद्रों द्वारा निःशुल्क दी जाती है।",
        ),
        "body": [
            (
                "Course dates and seats can change. Employers who post vacancies agree to offer fair "
                "pay and safe working conditions.",
                "पाठ्यक्रम की तिथियाँ और सीटें बदल सकती हैं। रिक्तियाँ प्रकाशित करने वाले नियोक्ता उचित वेतन "
                "और सुरक्षित कार्य परिस्थितियाँ देने के लिए सहमत होते हैं।",
            ),
        ],
    },
]

FOOTER = (
    '<p>Sakhi is run by the One Stop Centres. <a href="/privacy/">Privacy</a> · '
    '<a href="/accessibility/">Accessibility</a> · <a href="/terms/">Terms</a> · '
    '<a href="/browse-safely/">Browse safely</a></p>',
    '<p>सखी का संचालन वन स्टॉप सेंटर करते हैं। <a href="/hi/privacy/">गोपनीयता</a> · '
    '<a href="/hi/accessibility/">सुगम्यता</a> · <a href="/hi/terms/">शर्तें</a> · '
    '<a href="/hi/browse-safely/">सुरक्षित ब्राउज़िंग</a></p>',
)
