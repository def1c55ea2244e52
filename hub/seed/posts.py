"""Demo posts: what the demo organisations do, have learned, are stuck on and offer.

Written in our own words from what the source texts in shared/seeds say these actors do:
T-Kartor's business-travel policy and its training for the transition arena, Kristianstad's
climate-smart procurement and yearly follow-up of its contracts, Eskilstuna's climate programme,
ReTuna's reuse mall, Energy Evolution Center's energy advice, Greentopia events, the folk-education
track, and Borås's work on mobility, construction, co-creation and climate leadership. Figures
are illustrative estimates for a demo, marked with their estimation method. Organisation-level
only: no people are named.

A few posts are copies of others (one a copy of a copy), so provenance and lineage show. Loading
is get-or-create by (organisation, title): running it again adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Commitment, ContractParty, FocusArea, Organisation, Post, User, utcnow
from ..notifications.service import notify_organisation
from ..posts import service

# Each post: org (slug), kind, title, summary, body (Markdown), areas (slugs), tags, commitments
# (the organisation's own commitment numbers), days (how long ago it was published), and the
# kind's own fields. A copy names its source as (org, title); "draft": True keeps it unpublished.
POSTS: list[dict] = [
    # --- Kristianstad --------------------------------------------------------------------------
    {
        "org": "kristianstads-kommun",
        "kind": "solution",
        "title": "Klimatkrav i livsmedelsupphandlingen",
        "summary": "Kommunen väger in klimatpåverkan per kilo när skolor och äldreboenden köper mat, och "
                   "leverantörerna redovisar sina siffror varje kvartal.",
        "body": "När avtalet för livsmedel skulle förnyas gjorde vi klimatet till ett av de viktigaste "
                "kriterierna, i linje med vårt åtagande att efterfråga klimatsmarta produkter.\n\n"
                "- Utvärdering av anbud med klimatpåverkan per kilo för de största varugrupperna\n"
                "- Fler vegetariska alternativ och säsongsanpassade menyer i avtalet\n"
                "- Kvartalsvis uppföljning av inköpta volymer, så att vi ser effekten\n\n"
                "Kostenheten var med från början, så att kraven går att leva upp till i köket.",
        "areas": ["upphandling", "mat"],
        "tags": ["upphandling", "livsmedel", "måltider", "krav"],
        "commitments": ["4"],
        "days": 300,
        "status": "genomford",
        "start_year": 2023,
        "end_year": 2024,
        "reduction_tonnes": 310,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Klimatfaktorer per kilo livsmedel från en svensk livsmedelsdatabas, gånger "
                             "inköpta volymer före och efter det nya avtalet.",
        "cost_band": "lt_100k",
        "lead_time": "3_12m",
        "prerequisites": "En upphandlare och en kostchef som arbetar ihop, statistik över inköpta volymer och "
                         "politiskt stöd för att klimat får väga tungt i utvärderingen.",
    },
    {
        "org": "kristianstads-kommun",
        "kind": "solution",
        "title": "Marknadsdialog före upphandling av fossilfria arbetsmaskiner",
        "summary": "Innan vi ställde krav på fossilfria arbetsmaskiner bjöd vi in entreprenörerna till dialog, "
                   "så att de hann ställa om sina maskinparker.",
        "body": "Kraven på fossilfria drivmedel och eldrivna maskiner införs stegvis i våra "
                "anläggningsupphandlingar. Ett år före första kravet höll vi öppna dialogmöten med "
                "entreprenörerna om tidsplan, tankning och laddning.\n\n"
                "Dialogen gav oss en realistisk takt och entreprenörerna ett skäl att investera.",
        "areas": ["upphandling", "mobilitet"],
        "tags": ["arbetsmaskiner", "marknadsdialog", "fossilfritt"],
        "commitments": ["4", "2"],
        "days": 120,
        "status": "pagaende",
        "start_year": 2024,
        "end_year": 2026,
        "reduction_tonnes": 95,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Dieselförbrukning i tidigare entreprenader och utsläppsfaktor för diesel respektive HVO.",
        "cost_band": "100k_1m",
        "lead_time": "1_3y",
        "prerequisites": "Översikt över vilka maskiner som används i kommunens entreprenader, tid för dialog "
                         "ett år före kraven och en plan för laddning eller tankning.",
    },
    {
        "org": "kristianstads-kommun",
        "kind": "solution",
        "title": "Lokala klimatkontrakt med företag och organisationer",
        "summary": "Företag och organisationer som redan har en nulägesanalys, mål och uppföljning skriver "
                   "under ett gemensamt klimatkontrakt med egna åtaganden.",
        "body": "Kontraktet gör åtagandena synliga och samlar parterna kring missionen om ett klimatneutralt "
                "Kristianstad 2030. För att få skriva under ska organisationen ha:\n\n"
                "1. en nulägesanalys av sin klimatpåverkan\n"
                "2. mål som bygger på analysen\n"
                "3. en process för att följa upp målen\n\n"
                "Varje år redovisar parterna minst en åtgärd som gett en direkt minskning, och kommunen "
                "sammanfattar läget.",
        "areas": ["ledarskap", "samverkan"],
        "tags": ["klimatkontrakt", "näringsliv", "uppföljning"],
        "commitments": ["1"],
        "days": 420,
        "status": "pagaende",
        "start_year": 2023,
    },
    {
        "org": "kristianstads-kommun",
        "kind": "lesson",
        "title": "Ställ bara krav som ni kan följa upp",
        "summary": "Klimatkrav i upphandling gör skillnad först när någon faktiskt följer upp dem under avtalstiden.",
        "body": "I tidigare avtal hade vi krav som ingen hade tid att kontrollera. Leverantörerna märkte det.",
        "areas": ["upphandling"],
        "tags": ["upphandling", "avtalsuppföljning"],
        "commitments": ["4"],
        "days": 200,
        "lesson_type": "upphandling",
        "do_differently": "Bestämma redan i förfrågan hur och hur ofta kraven följs upp, och avsätta tid för det i "
                          "avtalsförvaltningen.\n\nBe om data i ett format vi kan sammanställa utan handpåläggning.",
        "related": ("kristianstads-kommun", "Klimatkrav i livsmedelsupphandlingen"),
    },
    {
        "org": "kristianstads-kommun",
        "kind": "challenge",
        "title": "Hur redovisar små företag sin årliga utsläppsminskning?",
        "summary": "Varje part i våra klimatkontrakt ska redovisa minst en åtgärd om året med direkt minskning – "
                   "men många mindre företag vet inte hur de ska räkna.",
        "body": "Uppföljningen är en del av kontraktet. Stora parter har hållbarhetsredovisningar, men för ett "
                "företag med tio anställda blir det ofta en gissning eller ingenting alls.",
        "areas": ["ledarskap", "samverkan"],
        "tags": ["uppföljning", "småföretag", "beräkning"],
        "commitments": ["1"],
        "days": 45,
        "status": "oppen",
        "tried": "Ett frågeformulär till alla parter och en genomgång på ett nätverksmöte. Svaren blev svåra att jämföra.",
        "help_wanted": "Enkla mallar eller verktyg för att uppskatta minskningen av en enskild åtgärd, och "
                       "erfarenheter från andra kommuner som följer upp lokala klimatkontrakt.",
    },
    {
        "org": "kristianstads-kommun",
        "kind": "solution",
        "title": "Säkra cykelstråk till de stora arbetsplatsområdena",
        "summary": "Kommunen bygger ihop cykelvägnätet med industri- och kontorsområdena, där många i dag tar bilen korta sträckor.",
        "body": "Resvaneundersökningen visade att många bor närmare jobbet än fem kilometer men ändå kör bil. "
                "Vi prioriterar saknade länkar, belysning och säkra korsningar på just de stråken.",
        "areas": ["mobilitet"],
        "tags": ["cykel", "arbetspendling", "infrastruktur"],
        "commitments": ["3"],
        "days": 30,
        "status": "planerad",
        "start_year": 2025,
        "end_year": 2027,
        "cost_band": "gt_10m",
        "lead_time": "gt_3y",
    },
    # --- T-Kartor --------------------------------------------------------------------------------
    {
        "org": "t-kartor-group",
        "kind": "solution",
        "title": "Resepolicy: digitalt först, tåg före flyg",
        "summary": "En kort resepolicy med tydliga beslutsregler halverade flyget i tjänsten utan att vi tappade kundkontakt.",
        "body": "Policyn är ett av våra åtaganden i Kristianstads klimatkontrakt. Den ryms på en sida:\n\n"
                "1. Fråga först om mötet kan vara digitalt.\n"
                "2. Resor under fem timmar med tåg görs med tåg.\n"
                "3. Flyg kräver chefens godkännande och samlas med andra ärenden på samma ort.\n\n"
                "Reseföretaget rapporterar varje kvartal, och ledningen går igenom utfallet.",
        "areas": ["mobilitet", "ledarskap"],
        "tags": ["resepolicy", "tjänsteresor", "flyg", "tåg"],
        "commitments": ["1"],
        "days": 260,
        "status": "genomford",
        "start_year": 2023,
        "end_year": 2024,
        "reduction_tonnes": 42,
        "reduction_period": "per_year",
        "estimation_method": "measured",
        "estimation_source": "Reseföretagets rapporter om resta kilometer per färdsätt, år före och efter policyn.",
        "cost_band": "lt_100k",
        "lead_time": "lt_3m",
        "prerequisites": "Ett beslut i ledningsgruppen, bra utrustning för digitala möten och en reseleverantör som kan leverera statistik.",
    },
    {
        "org": "t-kartor-group",
        "kind": "solution",
        "title": "Kortkurs för omställningsarenan: kartor och geodata i klimatarbetet",
        "summary": "Vi håller kostnadsfria utbildningstillfällen för andra parter om hur kartor och geodata kan användas i klimatarbetet.",
        "body": "Som vårt bidrag till omställningsarenan erbjuder vi halvdagsutbildningar för kommunens "
                "förvaltningar och de andra företagen i klimatkontrakten. Exempel:\n\n"
                "- kartlägga resvägar och avstånd till kollektivtrafik\n"
                "- visa solpotential på tak\n"
                "- kommunicera klimatmål med kartor som alla förstår",
        "areas": ["utbildning", "samverkan"],
        "tags": ["utbildning", "geodata", "kartor", "omställningsarena"],
        "commitments": ["2"],
        "days": 150,
        "status": "pagaende",
        "start_year": 2024,
        "cost_band": "lt_100k",
        "lead_time": "lt_3m",
    },
    {
        "org": "t-kartor-group",
        "kind": "lesson",
        "title": "Resepolicyn fick fäste först när vi visade siffrorna",
        "summary": "Medarbetarna ändrade sina resvanor när vi började visa resultatet varje kvartal, inte när policyn beslutades.",
        "body": "Den första månaden efter beslutet hände nästan ingenting. Det var den kvartalsvisa "
                "genomgången av resorna – per avdelning – som fick igång samtalen.",
        "areas": ["mobilitet"],
        "tags": ["beteende", "resor", "uppföljning"],
        "commitments": ["1"],
        "days": 90,
        "lesson_type": "beteende",
        "do_differently": "Visa utgångsläget innan policyn införs, och bestäm från början hur resultatet ska återkopplas till medarbetarna.",
        "related": ("t-kartor-group", "Resepolicy: digitalt först, tåg före flyg"),
    },
    {
        "org": "t-kartor-group",
        "kind": "challenge",
        "title": "Klimathandlingsplan för en kontorsfastighet från 1980-talet",
        "summary": "Vi ska ta fram en klimathandlingsplan för vår egen fastighet och behöver hjälp att prioritera bland åtgärderna.",
        "body": "Fastigheten värms med fjärrvärme och har ventilation från byggåret. Vi vet inte om vi ska börja "
                "med styrningen, klimatskalet eller solceller.",
        "areas": ["byggnader", "energi"],
        "tags": ["fastighet", "energieffektivisering", "handlingsplan"],
        "commitments": ["3"],
        "days": 20,
        "status": "oppen",
        "tried": "En enklare energikartläggning och offerter på solceller.",
        "help_wanted": "Erfarenheter från andra fastighetsägare om vilka åtgärder som gav mest per krona, och "
                       "tips på hur en handlingsplan kan byggas upp.",
    },
    # --- Eskilstuna --------------------------------------------------------------------------------
    {
        "org": "eskilstuna-kommun",
        "kind": "solution",
        "title": "Ett klimatprogram som alla aktörer kan ansluta sig till",
        "summary": "Kommunen tar fram ett klimatprogram med gemensamma mål som företag, föreningar och myndigheter kan koppla sina egna handlingsplaner till.",
        "body": "Programmet ska inte bara gälla kommunkoncernen. Alla aktörer i kommunen ska kunna visa hur de "
                "bidrar, utifrån det de själva har rådighet över. Förslaget har tagits fram i en tankesmedja "
                "med deltagare från näringsliv, akademi och civilsamhälle.",
        "areas": ["ledarskap", "samverkan"],
        "tags": ["klimatprogram", "samverkan", "mål"],
        "commitments": ["2", "1"],
        "days": 380,
        "status": "pagaende",
        "start_year": 2023,
    },
    {
        "org": "eskilstuna-kommun",
        "kind": "solution",
        "title": "Digitalt verktyg för lokala klimatåtaganden",
        "summary": "Ett verktyg där varje aktör registrerar sina åtaganden mot klimatprogrammets mål och följer upp dem.",
        "body": "Verktyget ska visa omställningsmålen, göra det lätt att åta sig något inom det man har rådighet "
                "över och ge underlag för uppföljning och kommunikation.",
        "areas": ["samverkan"],
        "tags": ["digitalt verktyg", "åtaganden", "uppföljning"],
        "commitments": ["3"],
        "days": 60,
        "status": "planerad",
        "start_year": 2025,
    },
    {
        "org": "eskilstuna-kommun",
        "kind": "challenge",
        "title": "Vilket stöd behöver aktörerna – och vem kan ge det?",
        "summary": "Vi vill kartlägga vilket stöd för klimatomställning företag och organisationer efterfrågar, och matcha det med dem som kan erbjuda det.",
        "body": "Tolv stödpartners har erbjudit sig att bidra, men vi saknar en bra bild av behoven.",
        "areas": ["samverkan"],
        "tags": ["stöd", "behovsanalys", "matchning"],
        "commitments": ["4"],
        "days": 35,
        "status": "oppen",
        "tried": "Ett par workshoppar med stödpartnerna och en första enkät till näringslivet.",
        "help_wanted": "Exempel på hur andra kommuner kartlagt stödbehov, gärna med frågor som fungerat.",
    },
    {
        "org": "eskilstuna-kommun",
        "kind": "lesson",
        "title": "Förankring uppifrån gör klimatarbetet långlivat",
        "summary": "När beslutet om klimatprogrammet kom från kommunstyrelsen följde förvaltningarna med; tidigare initiativ från enskilda förvaltningar rann ut i sanden.",
        "body": "Vi har provat båda vägarna. Ett tydligt politiskt uppdrag gav mandat och resurser.",
        "areas": ["ledarskap"],
        "tags": ["förankring", "politik", "organisation"],
        "commitments": ["2"],
        "days": 210,
        "lesson_type": "organisation",
        "do_differently": "Stämma av med politiken löpande medan arbetet pågår, inte bara när det är klart.",
    },
    # --- Mälardalens universitet, Studiefrämjandet, Länsbildningsförbundet ---------------------------
    {
        "org": "malardalens-universitet",
        "kind": "offer",
        "title": "Behovsanalys och forskningsstöd för klimatomställning",
        "summary": "Universitetet hjälper aktörer att formulera sina behov av stöd och kopplar dem till pågående forskning och studentprojekt.",
        "body": "Vi erbjuder intervjuer och workshoppar för att tydliggöra behoven, och kan ta in frågorna som "
                "examensarbeten eller i forskningsprojekt.",
        "areas": ["utbildning", "samverkan"],
        "tags": ["forskning", "studentprojekt", "behovsanalys"],
        "commitments": ["1", "2"],
        "days": 140,
        "audience": ["kommun", "foretag", "offentlig", "forening"],
    },
    {
        "org": "studieframjandet",
        "kind": "solution",
        "title": "Studiecirklar om klimatomställning i vardagen",
        "summary": "Korta studiecirklar där deltagarna tar fram en egen plan för resor, mat och konsumtion.",
        "body": "Fyra träffar med en samtalsledare. Varje deltagare väljer en sak att ändra och berättar på sista träffen hur det gick.",
        "areas": ["utbildning", "konsumtion-cirkularitet"],
        "tags": ["folkbildning", "studiecirkel", "vardag"],
        "commitments": ["1"],
        "days": 170,
        "status": "pagaende",
        "start_year": 2023,
        "cost_band": "lt_100k",
        "lead_time": "lt_3m",
    },
    {
        "org": "studieframjandet",
        "kind": "lesson",
        "title": "Folkbildningen når andra än kampanjerna",
        "summary": "Studiecirklarna lockade deltagare som sällan nås av kommunens klimatkampanjer.",
        "body": "Många kom via en förening de redan var med i, till exempel en friluftsförening, inte via klimatfrågan.",
        "areas": ["utbildning"],
        "tags": ["folkbildning", "målgrupper"],
        "days": 75,
        "lesson_type": "beteende",
        "do_differently": "Samarbeta med fler föreningar från början och låta cirklarna utgå från deras intressen.",
    },
    {
        "org": "lansbildningsforbundet-sormland",
        "kind": "offer",
        "title": "Utbildning för samtalsledare i klimatsamtal",
        "summary": "En kort utbildning för dem som vill leda samtal om klimatomställning i sin förening eller på sin arbetsplats.",
        "body": "Utbildningen ger metoder för samtal där alla kommer till tals, och material att använda direkt.",
        "areas": ["utbildning"],
        "tags": ["folkbildning", "samtalsledare"],
        "commitments": ["1"],
        "days": 110,
        "audience": ["forening", "kommun", "offentlig"],
    },
    # --- ReTuna ---------------------------------------------------------------------------------------
    {
        "org": "retuna-aterbruksgalleria",
        "kind": "solution",
        "title": "Återbruksgalleria vid återvinningscentralen",
        "summary": "Saker som lämnas in vid återvinningscentralen lagas, förädlas och säljs i butiker under samma tak.",
        "body": "Invånarna lämnar det de inte behöver i en depå. Butikerna i gallerian väljer ut, reparerar "
                "och säljer – möbler, kläder, elektronik, byggmaterial. Här finns också utbildning och "
                "verkstäder.\n\nGallerian drivs av det kommunägda energi- och miljöbolaget och hyr ut lokaler "
                "till fristående butiker.",
        "areas": ["konsumtion-cirkularitet"],
        "tags": ["återbruk", "handel", "reparation", "galleria"],
        "commitments": ["1"],
        "days": 520,
        "status": "genomford",
        "start_year": 2015,
        "reduction_tonnes": 650,
        "reduction_period": "per_year",
        "estimation_method": "rough",
        "estimation_source": "Sålda varor per kategori gånger schablon för undvikt nyproduktion.",
        "cost_band": "1m_10m",
        "lead_time": "1_3y",
        "prerequisites": "En återvinningscentral med flöden av inlämnat gods, lokaler i anslutning, ett "
                         "huvudmannaskap (till exempel ett kommunalt bolag) och hyresgäster som vill driva butik.",
    },
    {
        "org": "retuna-aterbruksgalleria",
        "kind": "lesson",
        "title": "Inlämningen avgör vad butikerna kan sälja",
        "summary": "Kvaliteten i depån styr hela gallerian; bemannad inlämning gav mer säljbart gods.",
        "body": "När inlämningen var obemannad slängdes mycket som hade kunnat säljas, och annat kom in trasigt.",
        "areas": ["konsumtion-cirkularitet"],
        "tags": ["återbruk", "logistik"],
        "days": 330,
        "lesson_type": "organisation",
        "do_differently": "Planera den bemannade inlämningen från start och ge butikerna direkt tillgång till depån.",
        "related": ("retuna-aterbruksgalleria", "Återbruksgalleria vid återvinningscentralen"),
    },
    {
        "org": "retuna-aterbruksgalleria",
        "kind": "offer",
        "title": "Studiebesök och rådgivning om återbrukshandel",
        "summary": "Vi tar emot kommuner och fastighetsägare som vill se hur en återbruksgalleria fungerar i praktiken.",
        "body": "Besöket visar flödet från inlämning till butik, och vi delar erfarenheter om hyresgäster och ekonomi.",
        "areas": ["konsumtion-cirkularitet", "samverkan"],
        "tags": ["studiebesök", "återbruk"],
        "days": 95,
        "audience": ["kommun", "offentlig", "foretag"],
    },
    # --- Energy Evolution Center ----------------------------------------------------------------------
    {
        "org": "energy-evolution-center",
        "kind": "offer",
        "title": "Energirådgivning för små och medelstora företag",
        "summary": "Kostnadsfri rådgivning och verktyg för energieffektivisering, anpassat för företag utan egen energiexpert.",
        "body": "Vi går igenom energianvändningen på plats, pekar ut de lönsammaste åtgärderna och hjälper till "
                "med att söka stöd.",
        "areas": ["energi", "utbildning"],
        "tags": ["energirådgivning", "småföretag", "energieffektivisering"],
        "commitments": ["1"],
        "days": 240,
        "audience": ["foretag", "forening"],
    },
    {
        "org": "energy-evolution-center",
        "kind": "solution",
        "title": "Energikartläggning i tre steg för småföretag",
        "summary": "Ett kort upplägg där företaget mäter, väljer tre åtgärder och följer upp efter ett år.",
        "body": "1. **Mät**: en vecka med loggning av el och värme.\n"
                "2. **Välj**: vi prioriterar tillsammans tre åtgärder, oftast styrning, belysning och tryckluft.\n"
                "3. **Följ upp**: efter ett år jämför vi förbrukningen.",
        "areas": ["energi"],
        "tags": ["energikartläggning", "småföretag", "tryckluft", "belysning"],
        "commitments": ["1"],
        "days": 180,
        "status": "genomford",
        "start_year": 2022,
        "end_year": 2024,
        "reduction_tonnes": 120,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Minskad el- och värmeanvändning hos deltagande företag, med utsläppsfaktorer för svensk elmix och fjärrvärme.",
        "cost_band": "lt_100k",
        "lead_time": "lt_3m",
        "prerequisites": "En rådgivare med tid för platsbesök, enkla mätinstrument och företag som vill avsätta en kontaktperson.",
    },
    {
        "org": "energy-evolution-center",
        "kind": "lesson",
        "title": "Företagen vill ha en åtgärdslista, inte en rapport",
        "summary": "Tre konkreta åtgärder med kostnad och återbetalningstid genomfördes oftare än långa rapporter.",
        "body": "Våra första kartläggningar blev utförliga rapporter som sällan lästes till slut.",
        "areas": ["energi"],
        "tags": ["rådgivning", "beteende"],
        "days": 100,
        "lesson_type": "beteende",
        "do_differently": "Börja med åtgärdslistan och lägga underlaget i en bilaga.",
        "related": ("energy-evolution-center", "Energikartläggning i tre steg för småföretag"),
    },
    # --- Destination Eskilstuna, Regio, PEAB, Berglunds Åkeri ---------------------------------------
    {
        "org": "destination-eskilstuna",
        "kind": "solution",
        "title": "Klimatsmartare evenemang med Greentopia",
        "summary": "Tillsammans med arrangörer minskar vi klimatavtrycket från evenemang: återbrukbara muggar, vegetarisk mat först och tåg till stan.",
        "body": "Greentopia är ett samarbete mellan arrangörer i staden. Vi tar fram gemensamma checklistor och "
                "delar utrustning, så att även små evenemang kan ställa om.",
        "areas": ["konsumtion-cirkularitet", "samverkan"],
        "tags": ["evenemang", "Greentopia", "engångsartiklar"],
        "commitments": ["1"],
        "days": 160,
        "status": "pagaende",
        "start_year": 2023,
        "reduction_tonnes": 35,
        "reduction_period": "per_year",
        "estimation_method": "rough",
        "cost_band": "100k_1m",
        "lead_time": "3_12m",
        "prerequisites": "Arrangörer som vill samarbeta och ett gemensamt förråd för återbrukbar utrustning.",
    },
    {
        "org": "destination-eskilstuna",
        "kind": "challenge",
        "title": "Hur mäter vi besökarnas resor till evenemang?",
        "summary": "Resorna till och från evenemangen är troligen den största utsläppskällan, men vi saknar data.",
        "body": "Biljettsystemen vet var besökarna bor, men inte hur de reser.",
        "areas": ["mobilitet"],
        "tags": ["evenemang", "resvanor", "mätning"],
        "days": 25,
        "status": "oppen",
        "tried": "Korta enkäter vid entrén. Svarsfrekvensen var låg.",
        "help_wanted": "Metoder för att uppskatta besökarnas resor, gärna sådant som kan kopplas till biljettköpet.",
    },
    {
        "org": "fastighets-ab-regio",
        "kind": "challenge",
        "title": "Tomma butikslokaler som ytor för reparation och återbruk?",
        "summary": "Vi har lokaler i centrum som står tomma och vill pröva om reparation och återbruk kan bära en hyra.",
        "body": "Tillsammans med kommunen och andra fastighetsägare vill vi utveckla ett centrum i linje med klimatarbetet.",
        "areas": ["byggnader", "konsumtion-cirkularitet"],
        "tags": ["centrum", "lokaler", "återbruk"],
        "commitments": ["1"],
        "days": 15,
        "status": "oppen",
        "tried": "Korttidsuthyrning till en pop-up-butik med second hand.",
        "help_wanted": "Affärsmodeller och hyresupplägg som fungerat för reparationsverksamhet i andra städer.",
    },
    {
        "org": "peab",
        "kind": "solution",
        "title": "Återbruk av byggmaterial mellan projekt",
        "summary": "Dörrar, undertak och installationsmaterial från rivningar inventeras och används i nästa projekt.",
        "body": "Före varje rivning inventeras det som kan återbrukas. Materialet lagras och erbjuds "
                "projektledarna i en intern lista innan något nytt köps in.",
        "areas": ["byggnader", "konsumtion-cirkularitet"],
        "tags": ["återbruk", "byggmaterial", "rivning", "inventering"],
        "commitments": ["1"],
        "days": 230,
        "status": "pagaende",
        "start_year": 2023,
        "reduction_tonnes": 80,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Återbrukade mängder per produkt gånger klimatdata för motsvarande nyproducerade produkter.",
        "cost_band": "100k_1m",
        "lead_time": "3_12m",
        "prerequisites": "Inventering före rivning, ett mellanlager och projektledare som får tid att planera in återbrukat material.",
    },
    {
        "org": "peab",
        "kind": "lesson",
        "title": "Klimatberäkningen behöver data redan i tidiga skeden",
        "summary": "Klimatberäkningar som görs sent i projektet kan bara beskriva, inte påverka.",
        "body": "I de projekt där vi räknade först vid bygglovet var de stora valen redan gjorda.",
        "areas": ["byggnader"],
        "tags": ["klimatdeklaration", "livscykel", "projektering"],
        "days": 130,
        "lesson_type": "teknik",
        "do_differently": "Göra en grov klimatberäkning redan i programskedet och jämföra två eller tre alternativ.",
    },
    {
        "org": "berglunds-akeri",
        "kind": "solution",
        "title": "Fossilfri stadsdistribution med HVO och ellastbilar",
        "summary": "Åkeriet har ställt om distributionen inne i stan till el och kör regionala transporter på förnybar diesel.",
        "body": "Två ellastbilar laddas vid depån över natten. Övriga fordon tankas med HVO, och vi redovisar "
                "utsläppen per transportuppdrag till kunderna.",
        "areas": ["mobilitet"],
        "tags": ["lastbil", "HVO", "elfordon", "godstransporter"],
        "commitments": ["1"],
        "days": 190,
        "status": "pagaende",
        "start_year": 2022,
        "end_year": 2025,
        "reduction_tonnes": 210,
        "reduction_period": "per_year",
        "estimation_method": "klimatklivet",
        "estimation_source": "Beräkning i ansökan om investeringsstöd för ellastbilar och laddinfrastruktur, kompletterad med tankad volym HVO.",
        "cost_band": "1m_10m",
        "lead_time": "1_3y",
        "prerequisites": "Laddning vid depån, investeringsstöd och kunder som accepterar något högre pris per uppdrag.",
    },
    # --- Borås ------------------------------------------------------------------------------------------
    {
        "org": "boras-stad",
        "kind": "solution",
        "title": "Bilpool och elcyklar för tjänsteresor",
        "summary": "Stadens förvaltningar delar en bilpool med elbilar och lånar elcyklar för korta resor i tjänsten.",
        "body": "Privata bilar i tjänsten ersätts av en gemensam bokningsbar pool. För resor under fem kilometer "
                "finns elcyklar vid de största arbetsplatserna.",
        "areas": ["modig-mobilitet", "mobilitet"],
        "tags": ["bilpool", "elcykel", "tjänsteresor"],
        "commitments": ["4"],
        "days": 560,
        "status": "genomford",
        "start_year": 2021,
        "end_year": 2023,
        "reduction_tonnes": 55,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Körda kilometer i privata bilar i tjänsten före och efter, med genomsnittlig utsläppsfaktor för personbil.",
        "cost_band": "100k_1m",
        "lead_time": "3_12m",
        "prerequisites": "Ett bokningssystem, laddplatser vid arbetsplatserna och en resepolicy som gör poolen till förstahandsval.",
    },
    {
        "org": "boras-stad",
        "kind": "solution",
        "title": "Klimatinvesteringsplan kopplad till budgeten",
        "summary": "En plan som visar vilka klimatinvesteringar som behövs till 2030 och hur de ska finansieras, beslutad tillsammans med budgeten.",
        "body": "Planen tas fram av innovationsteamet och uppdateras varje år i samband med det årliga klimatkontraktet.",
        "areas": ["klokt-klimatledarskap", "ledarskap"],
        "tags": ["klimatinvesteringsplan", "budget", "styrning"],
        "commitments": ["2"],
        "days": 340,
        "status": "pagaende",
        "start_year": 2022,
    },
    {
        "org": "boras-stad",
        "kind": "solution",
        "title": "Krav på klimatberäkning i stadens byggprojekt",
        "summary": "Alla större byggprojekt ska jämföra klimatpåverkan för minst två alternativ innan utformningen låses.",
        "body": "Kravet gäller både nybyggnad och större ombyggnader. Resultatet redovisas i beslutsunderlaget "
                "till nämnden.",
        "areas": ["bestaende-byggnation", "byggnader", "upphandling"],
        "tags": ["byggprojekt", "livscykel", "klimatberäkning"],
        "commitments": ["3"],
        "days": 270,
        "status": "pagaende",
        "start_year": 2023,
        "reduction_tonnes": 400,
        "reduction_period": "one_off",
        "estimation_method": "rough",
        "cost_band": "100k_1m",
        "lead_time": "1_3y",
        "prerequisites": "Beräkningsverktyg, kompetens hos projektledarna och ett beslut om att resultatet ska ingå i beslutsunderlaget.",
    },
    {
        "org": "boras-stad",
        "kind": "lesson",
        "title": "Innovationsteamet behöver mandat från varje part",
        "summary": "Teamet kom framåt först när varje projektpart gett sin representant tid och befogenheter.",
        "body": "I början deltog många på sin fritid från ordinarie uppdrag. Idéerna fastnade i linjen.",
        "areas": ["smart-samskapande", "klokt-klimatledarskap"],
        "tags": ["innovationsteam", "samverkan", "mandat"],
        "commitments": ["1"],
        "days": 480,
        "lesson_type": "organisation",
        "do_differently": "Skriva in tid och mandat i en överenskommelse med varje part innan teamet startar.",
    },
    {
        "org": "boras-stad",
        "kind": "challenge",
        "title": "Fler hållbara vardagsresor i ytterområdena",
        "summary": "I tätorterna utanför centrala Borås är bilen fortfarande självklar. Hur gör vi det lätt att välja annat?",
        "body": "Turtätheten är låg och avstånden långa, men många resor är ändå korta.",
        "areas": ["modig-mobilitet", "mobilitet"],
        "tags": ["vardagsresor", "landsbygd", "kollektivtrafik"],
        "commitments": ["4"],
        "days": 40,
        "status": "oppen",
        "tried": "Kampanjer med gratis månadskort. Effekten försvann när kampanjen tog slut.",
        "help_wanted": "Exempel på samåkning, anropsstyrd trafik eller mobilitetstjänster som fungerat i mindre orter.",
    },
    {
        "org": "boras-energi-och-miljo",
        "kind": "solution",
        "title": "Matavfall blir biogas till stadsbussarna",
        "summary": "Insamlat matavfall rötas till biogas som driver bussar och sopbilar i kommunen.",
        "body": "Hushållen sorterar matavfall i separata påsar. Biogasen uppgraderas till fordonsgas och "
                "rötresten går tillbaka till åkermark.",
        "areas": ["energi", "konsumtion-cirkularitet"],
        "tags": ["biogas", "matavfall", "fordonsgas"],
        "commitments": ["1"],
        "days": 600,
        "status": "genomford",
        "start_year": 2019,
        "reduction_tonnes": 1200,
        "reduction_period": "per_year",
        "estimation_method": "measured",
        "estimation_source": "Producerad mängd fordonsgas ersätter diesel, med utsläppsfaktor för diesel.",
        "cost_band": "gt_10m",
        "lead_time": "gt_3y",
        "prerequisites": "Separat insamling av matavfall, en rötningsanläggning och fordon som kan köra på gas.",
    },
    {
        "org": "boras-energi-och-miljo",
        "kind": "solution",
        "title": "Laddinfrastruktur för bostadsrättsföreningar",
        "summary": "Bostadsrättsföreningar får hjälp att räkna på effekt och antal laddplatser, och flera "
                   "föreningar upphandlar laddboxar med lastbalansering tillsammans.",
        "body": "Många föreningar vill ha laddplatser men fastnar i frågor om elanslutningen, kostnaden och "
                "vem som ska betala. Vi erbjuder en förstudie per förening och samlar sedan flera "
                "föreningar i en gemensam upphandling.\n\n"
                "- Effektutredning av fastighetens servis och en plan för hur många platser den räcker till\n"
                "- Underlag för styrelsens beslut och för stämman: kostnad, avgift per plats och driftansvar\n"
                "- Gemensam upphandling av laddboxar, lastbalansering och service för flera föreningar\n\n"
                "Föreningarna bygger ut i etapper på samma lastbalansering när fler medlemmar skaffar elbil.",
        "areas": ["modig-mobilitet", "mobilitet", "energi"],
        "tags": ["laddinfrastruktur", "bostadsrättsförening", "BRF", "elbil", "laddplatser"],
        "commitments": ["1"],
        "days": 75,
        "status": "pagaende",
        "start_year": 2024,
        "reduction_tonnes": 30,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Laddad el per år enligt föreningarnas mätare, omräknad till körsträcka och jämförd "
                             "med utsläppen från en genomsnittlig bensinbil.",
        "cost_band": "100k_1m",
        "lead_time": "3_12m",
        "prerequisites": "En styrelse som driver frågan, en effektutredning av servisen och medlemmar som "
                         "anmäler intresse innan upphandlingen.",
    },
    {
        "org": "boras-energi-och-miljo",
        "kind": "lesson",
        "title": "Med lastbalansering från början räcker servisen längre",
        "summary": "Föreningar som planerade alla platser på en gemensam lastbalansering slapp dyra "
                   "uppgraderingar av elanslutningen när fler ville ladda.",
        "body": "De första föreningarna dimensionerade för de fem bilar som fanns. När fler medlemmar skaffade "
                "elbil räckte servisen inte, och ombyggnaden kostade mer än den första installationen.",
        "areas": ["mobilitet", "energi"],
        "tags": ["laddinfrastruktur", "lastbalansering", "bostadsrättsförening"],
        "days": 20,
        "lesson_type": "teknik",
        "do_differently": "Börja med effektutredningen, planera för alla parkeringsplatser och bygg ut i etapper "
                          "på samma lastbalansering.",
        "related": ("boras-energi-och-miljo", "Laddinfrastruktur för bostadsrättsföreningar"),
    },
    {
        "org": "navet-science-center",
        "kind": "solution",
        "title": "Klimatverkstad för skolklasser",
        "summary": "Elever undersöker stadens klimatutmaningar och presenterar egna förslag för politiker.",
        "body": "Verkstaden är en del av arbetet med att involvera invånare i Klimatneutrala Borås 2030. "
                "De bästa förslagen tas med till innovationsteamet.",
        "areas": ["smart-samskapande", "utbildning"],
        "tags": ["skola", "unga", "delaktighet"],
        "commitments": ["1"],
        "days": 220,
        "status": "genomford",
        "start_year": 2022,
        "end_year": 2024,
        "cost_band": "lt_100k",
        "lead_time": "3_12m",
    },
    {
        "org": "fribo",
        "kind": "challenge",
        "title": "Renovera med lägre klimatpåverkan utan att höja hyrorna mycket",
        "summary": "Vi står inför stambyten i flera hus och vill minska klimatpåverkan utan att hyresgästerna drabbas.",
        "body": "Återbrukat material och varsamma metoder kan ge lägre klimatpåverkan, men vi vet inte vad det kostar.",
        "areas": ["bestaende-byggnation", "byggnader"],
        "tags": ["renovering", "hyresrätter", "stambyte"],
        "commitments": ["1"],
        "days": 50,
        "status": "oppen",
        "tried": "En klimatberäkning av två alternativ för ett av husen.",
        "help_wanted": "Erfarenheter från andra bostadsbolag av varsam renovering och hur hyresgästerna involverats.",
    },
    {
        "org": "science-park-boras",
        "kind": "offer",
        "title": "Testbädd för cirkulära textilflöden",
        "summary": "Företag kan pröva sortering, återvinning och nya affärsmodeller för textil i en gemensam testmiljö.",
        "body": "Testbädden har utrustning för sortering och analys och ett nätverk av forskare och företag.",
        "areas": ["smart-samskapande", "konsumtion-cirkularitet"],
        "tags": ["textil", "testbädd", "cirkulär ekonomi"],
        "commitments": ["1"],
        "days": 155,
        "audience": ["foretag", "akademi", "offentlig"],
    },
    # --- copies: inspired by the posts above --------------------------------------------------------
    {
        "org": "eskilstuna-kommun",
        "kind": "solution",
        "source": ("kristianstads-kommun", "Klimatkrav i livsmedelsupphandlingen"),
        "title": "Klimatkrav i livsmedelsupphandlingen – Eskilstunas version",
        "summary": "Vi använder Kristianstads modell för klimatkrav per kilo i vår nästa livsmedelsupphandling.",
        "body": "Kraven och utvärderingsmodellen är hämtade från Kristianstad. Vi lägger till krav på minskat "
                "matsvinn i leveranserna.",
        "areas": ["upphandling", "mat"],
        "tags": ["upphandling", "livsmedel", "matsvinn"],
        "days": 80,
        "status": "pagaende",
        "start_year": 2024,
        "reduction_tonnes": 260,
        "reduction_period": "per_year",
        "estimation_method": "emission_factor",
        "estimation_source": "Samma metod som Kristianstad: klimatfaktorer per kilo gånger våra inköpta volymer.",
        "cost_band": "lt_100k",
        "lead_time": "3_12m",
        "prerequisites": "Samarbete mellan upphandlare och måltidsservice, och inköpsstatistik per varugrupp.",
    },
    {
        "org": "boras-stad",
        "kind": "solution",
        "source": ("kristianstads-kommun", "Klimatkrav i livsmedelsupphandlingen"),
        "title": "Klimatkrav på livsmedel i stadens måltidsverksamhet",
        "summary": "Borås inför klimatkrav per kilo i livsmedelsavtalet, efter Kristianstads förebild.",
        "body": "Vi har anpassat kraven till vår egen varukorg och samordnar uppföljningen med måltidsverksamhetens menyplanering.",
        "areas": ["upphandling", "mat"],
        "tags": ["upphandling", "måltider"],
        "commitments": ["3"],
        "days": 55,
        "status": "planerad",
        "start_year": 2025,
        "cost_band": "lt_100k",
        "lead_time": "3_12m",
    },
    {
        "org": "atea",
        "kind": "solution",
        "source": ("t-kartor-group", "Resepolicy: digitalt först, tåg före flyg"),
        "title": "Resepolicy med digitala möten som förstahandsval",
        "summary": "Vi har tagit T-Kartors korta resepolicy och lagt till regler för kundbesök i regionen.",
        "body": "Reglerna är desamma: digitalt först, tåg före flyg, flyg bara efter godkännande. Dessutom samordnar "
                "vi kundbesök så att en bil gör flera besök samma dag.",
        "areas": ["mobilitet"],
        "tags": ["resepolicy", "tjänsteresor"],
        "commitments": ["1"],
        "days": 70,
        "status": "genomford",
        "start_year": 2024,
        "reduction_tonnes": 30,
        "reduction_period": "per_year",
        "estimation_method": "measured",
        "cost_band": "lt_100k",
        "lead_time": "lt_3m",
        "prerequisites": "Ledningens beslut och statistik från reseleverantören.",
    },
    {
        "org": "ab-malarplast",
        "kind": "solution",
        "source": ("atea", "Resepolicy med digitala möten som förstahandsval"),
        "title": "Resepolicy för ett tillverkande företag",
        "summary": "Vi byggde vidare på ATEA:s resepolicy – som i sin tur bygger på T-Kartors – med regler för leverantörsbesök.",
        "body": "Fabriksbesök hos leverantörer samlas till färre, längre resor, och fler revisioner görs digitalt.",
        "areas": ["mobilitet"],
        "tags": ["resepolicy", "leverantörer"],
        "commitments": ["1"],
        "days": 20,
        "status": "pagaende",
        "start_year": 2025,
    },
    {
        "org": "boras-energi-och-miljo",
        "kind": "solution",
        "source": ("energy-evolution-center", "Energikartläggning i tre steg för småföretag"),
        "title": "Energikartläggning i tre steg för företagskunder i Borås",
        "summary": "Vi erbjuder våra företagskunder Energy Evolution Centers upplägg: mät, välj tre åtgärder, följ upp.",
        "body": "Upplägget är detsamma; vi använder våra egna mätdata från elnätet i första steget.",
        "areas": ["energi"],
        "tags": ["energikartläggning", "företagskunder"],
        "days": 65,
        "status": "pagaende",
        "start_year": 2024,
    },
    {
        "org": "fastighets-ab-regio",
        "kind": "solution",
        "source": ("peab", "Återbruk av byggmaterial mellan projekt"),
        "title": "Återbruk av byggmaterial i våra hyresgästanpassningar",
        "summary": "Utkast: vi vill inventera material före varje hyresgästanpassning och använda det igen.",
        "body": "Vi utgår från PEAB:s upplägg och anpassar det till mindre ombyggnader.",
        "areas": ["byggnader", "konsumtion-cirkularitet"],
        "tags": ["återbruk", "hyresgästanpassning"],
        "status": "planerad",
        "draft": True,
    },
]


def _commitment(org: Organisation, number: str) -> Commitment | None:
    return db.session.scalar(
        select(Commitment)
        .join(ContractParty, ContractParty.id == Commitment.party_id)
        .where(ContractParty.organisation_id == org.id, Commitment.number == number)
        .order_by(Commitment.id)
        .limit(1)
    )


def _find(orgs: dict[str, Organisation], key: tuple[str, str] | None) -> Post | None:
    if key is None or key[0] not in orgs:
        return None
    return db.session.scalar(select(Post).where(Post.organisation_id == orgs[key[0]].id, Post.title == key[1]))


def load() -> int:
    """Add the demo posts that are missing (in order, so sources exist before their copies); commit."""
    orgs = {org.slug: org for org in db.session.scalars(select(Organisation))}
    areas = {area.slug: area for area in db.session.scalars(select(FocusArea))}
    authors = {
        user.organisation_id: user
        for user in db.session.scalars(select(User).where(User.role == "member").order_by(User.id.desc()))
    }
    now = utcnow()
    added = 0
    for item in POSTS:
        org = orgs.get(item["org"])
        if org is None or _find(orgs, (item["org"], item["title"])) is not None:
            continue
        data = {key: value for key, value in item.items()
                if key not in ("org", "kind", "areas", "commitments", "days", "source", "related", "draft")}
        data["focus_areas"] = [areas[slug].id for slug in item["areas"] if slug in areas]
        data["commitments"] = [c.id for c in (_commitment(org, n) for n in item.get("commitments", [])) if c]
        data.setdefault("contact_enabled", True)
        related = _find(orgs, item.get("related"))
        if related is not None:
            data["related_post"] = related.id
        source = _find(orgs, item.get("source"))
        if item.get("source") and source is None:
            continue  # its source is missing (a trimmed demo): skip rather than invent provenance
        published_at = None if item.get("draft") else now - timedelta(days=item.get("days", 0), hours=added)
        author = authors.get(org.id)
        service.import_post(
            org.id, item["kind"], data,
            author_id=author.id if author else None,
            published_at=published_at,
            copied_from_id=source.id if source else None,
        )
        db.session.flush()
        if source is not None:
            notify_organisation(source.organisation_id, "copied", post_id=source.id,
                                actor_organisation_id=org.id, text=source.title)
        added += 1
    db.session.commit()
    return added
